namespace ParallelDsl.Runtime.Tests.Queues;

/// <summary>CrossProcessQueue used by threads of this process: ordering, bounds, completion, timeouts, element types.</summary>
public class QueueInProcessTests
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(120);

    private record struct Point(int X, double Y);

    [Fact]
    public void Items_come_out_in_the_order_they_went_in()
    {
        using var queue = new CrossProcessQueue<Point>();
        queue.Put(new Point(1, 0.5));
        queue.Put(new Point(2, 1.5));
        Assert.Equal(2, queue.Count);
        Assert.Equal(new Point(1, 0.5), queue.Get());
        Assert.Equal(new Point(2, 1.5), queue.Get());
        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryGet(out _));
    }

    [Fact]
    public async Task Strings_and_byte_arrays_of_any_length_pass_through_a_small_ring()
    {
        using var texts = new CrossProcessQueue<string>(capacityBytes: 4096);
        using var blobs = new CrossProcessQueue<byte[]>(capacityBytes: 4096);
        string longText = string.Concat(Enumerable.Repeat("héllo wörld ", 2000));
        byte[] longBlob = Enumerable.Range(0, 50_000).Select(i => (byte)i).ToArray();

        var putting = Task.Run(() =>
        {
            texts.Put(string.Empty);
            texts.Put(longText);
            blobs.Put(longBlob);
            blobs.Put([]);
        });

        Assert.Equal(string.Empty, texts.Get(SafetyTimeout));
        Assert.Equal(longText, texts.Get(SafetyTimeout));
        Assert.Equal(longBlob, blobs.Get(SafetyTimeout));
        Assert.Empty(blobs.Get(SafetyTimeout));
        await putting.WaitAsync(SafetyTimeout);
        Assert.Throws<ArgumentNullException>(() => texts.Put(null!));
    }

    [Fact]
    public void Element_types_with_references_go_through_their_generated_codec()
    {
        using var queue = new CrossProcessQueue<List<int>>();
        queue.Put([1, 2, 3]);
        Assert.Equal([1, 2, 3], queue.Get(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Opening_a_queue_as_another_element_type_is_rejected_clearly()
    {
        using var queue = new CrossProcessQueue<int>();
        ArgumentException error = Assert.Throws<ArgumentException>(() => CrossProcessQueue<long>.OpenHandle(queue.HandleName));
        Assert.Contains("CrossProcessQueue<Int64>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_opened_handle_sees_the_same_items()
    {
        using var queue = new CrossProcessQueue<int>();
        using var other = CrossProcessQueue<int>.OpenHandle(queue.HandleName);
        queue.Put(5);
        Assert.Equal(1, other.Count);
        Assert.Equal(5, other.Get());
        other.Complete();
        Assert.True(queue.IsCompleted);
    }

    [Fact]
    public async Task A_full_bounded_queue_makes_Put_wait_until_a_consumer_takes_an_item()
    {
        using var queue = new CrossProcessQueue<int>(maxCount: 2);
        queue.Put(1);
        queue.Put(2);
        Assert.False(queue.TryPut(3));
        Assert.False(queue.TryPut(3, TimeSpan.FromMilliseconds(100)));

        var putting = Task.Run(() => queue.Put(3));
        Thread.Sleep(200);
        Assert.False(putting.IsCompleted, "Put returned while the queue was full.");
        Assert.Equal(1, queue.Get());
        await putting.WaitAsync(SafetyTimeout);
        Assert.Equal([2, 3], [queue.Get(), queue.Get()]);
    }

    [Fact]
    public async Task A_full_queue_makes_PutAsync_wait_until_a_consumer_takes_an_item()
    {
        using var queue = new CrossProcessQueue<int>(maxCount: 1);
        Assert.True(queue.PutAsync(1).IsCompletedSuccessfully);
        Task putting = queue.PutAsync(2).AsTask();
        Thread.Sleep(200);
        Assert.False(putting.IsCompleted);
        Assert.Equal(1, queue.Get());
        await putting.WaitAsync(SafetyTimeout);
        Assert.Equal(2, queue.Get());
    }

    [Fact]
    public void Complete_ends_blocking_readers_after_they_drain_the_queue()
    {
        using var queue = new CrossProcessQueue<int>();
        var read = new List<int>();
        var reader = new Thread(() => read.AddRange(queue.GetConsumingEnumerable()));
        reader.Start();
        queue.Put(1);
        queue.Put(2);
        Thread.Sleep(100);
        queue.Put(3);
        queue.Complete();

        Assert.True(reader.Join(SafetyTimeout));
        Assert.Equal([1, 2, 3], read);
        Assert.True(queue.IsAddingCompleted);
        Assert.True(queue.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => queue.Put(4));
        Assert.Throws<InvalidOperationException>(() => queue.Get());
        Assert.False(queue.TryGet(SafetyTimeout, out _));
    }

    [Fact]
    public async Task Complete_ends_async_readers_after_they_drain_the_queue()
    {
        using var queue = new CrossProcessQueue<string>();
        async Task<List<string>> ReadAll()
        {
            var items = new List<string>();
            await foreach (string item in queue.ReadAllAsync())
            {
                items.Add(item);
            }

            return items;
        }

        Task<List<string>> reading = ReadAll();
        await queue.PutAsync("a");
        await Task.Delay(100);
        await queue.PutAsync("b");
        queue.Complete();

        Assert.Equal(["a", "b"], await reading.WaitAsync(SafetyTimeout));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await queue.GetAsync());
    }

    [Fact]
    public async Task Complete_releases_a_producer_waiting_on_a_full_queue_with_an_error()
    {
        using var queue = new CrossProcessQueue<int>(maxCount: 1);
        queue.Put(1);
        var putting = Task.Run(() => queue.Put(2));
        Thread.Sleep(100);
        queue.Complete();

        await Assert.ThrowsAsync<InvalidOperationException>(() => putting.WaitAsync(SafetyTimeout));
        Assert.Equal(1, queue.Get());
        Assert.True(queue.IsCompleted);
    }

    [Fact]
    public async Task Complete_releases_a_producer_waiting_for_room_in_a_full_ring_with_an_error()
    {
        using var queue = new CrossProcessQueue<byte[]>(capacityBytes: 4096);
        queue.Put(new byte[900]);
        queue.Put(new byte[900]);
        queue.Put(new byte[900]);
        queue.Put(new byte[900]);
        Assert.False(queue.TryPut(new byte[900]));
        var putting = Task.Run(() => queue.Put(new byte[900]));
        await Task.Delay(100);
        queue.Complete();

        await Assert.ThrowsAsync<InvalidOperationException>(() => putting.WaitAsync(SafetyTimeout));
        Assert.Equal(4, queue.GetConsumingEnumerable().Count());
    }

    [Fact]
    public void Get_honours_its_timeout_and_cancellation()
    {
        using var queue = new CrossProcessQueue<int>();
        Assert.Throws<TimeoutException>(() => queue.Get(TimeSpan.FromMilliseconds(100)));
        Assert.False(queue.TryGet(TimeSpan.FromMilliseconds(100), out _));

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.Throws<OperationCanceledException>(() => queue.Get(cancel.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => queue.GetAsync(cancel.Token).AsTask().GetAwaiter().GetResult());
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.TryGet(TimeSpan.FromSeconds(-2), out _));
    }

    [Fact]
    public void Put_on_a_full_queue_honours_cancellation_and_puts_nothing()
    {
        using var queue = new CrossProcessQueue<int>(maxCount: 1);
        queue.Put(1);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.Throws<OperationCanceledException>(() => queue.Put(2, cancel.Token));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task Many_threads_put_and_get_every_item_exactly_once()
    {
        using var queue = new CrossProcessQueue<long>(maxCount: 64);
        const int perProducer = 20_000;
        Task[] producers = [.. Enumerable.Range(0, 4).Select(p => Task.Run(() =>
        {
            for (int i = 0; i < perProducer; i++)
            {
                queue.Put((p * (long)perProducer) + i);
            }
        }))];
        Task<List<long>>[] consumers = [.. Enumerable.Range(0, 3).Select(_ => Task.Run(() => queue.GetConsumingEnumerable().ToList()))];

        await Task.WhenAll(producers).WaitAsync(SafetyTimeout);
        queue.Complete();
        await Task.WhenAll(consumers).WaitAsync(SafetyTimeout);
        Assert.Equal(Enumerable.Range(0, 4 * perProducer).Select(i => (long)i), (await Task.WhenAll(consumers)).SelectMany(c => c).Order());
    }

    [Fact]
    public async Task Disposing_a_queue_ends_a_pending_GetAsync_instead_of_leaving_its_thread_waiting()
    {
        var queue = new CrossProcessQueue<int>();
        Task<int> getting = queue.GetAsync().AsTask();
        await Task.Delay(100);
        Assert.False(getting.IsCompleted);
        queue.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => getting.WaitAsync(SafetyTimeout));
    }

    [Fact]
    public void A_disposed_queue_refuses_to_be_used()
    {
        var queue = new CrossProcessQueue<int>();
        queue.Dispose();
        Assert.Throws<ObjectDisposedException>(() => queue.Put(1));
        Assert.Throws<ObjectDisposedException>(() => queue.Count);
    }
}
