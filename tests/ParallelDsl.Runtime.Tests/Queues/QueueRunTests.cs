namespace ParallelDsl.Runtime.Tests.Queues;

/// <summary>CrossProcessQueue's run operations, PutMany and GetMany: order, bounds, completion, timeouts, element types.</summary>
public class QueueRunTests
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(120);

    private record struct Point(int X, double Y);

    [Fact]
    public void A_run_comes_out_in_order_and_GetMany_takes_only_what_fits()
    {
        using var queue = new CrossProcessQueue<Point>();
        Point[] points = [.. Enumerable.Range(0, 10).Select(i => new Point(i, i / 2.0))];
        queue.PutMany(points);
        Assert.Equal(10, queue.Count);

        var first = new Point[4];
        Assert.Equal(4, queue.GetMany(first));
        Assert.Equal(points[..4], first);
        Assert.Equal(6, queue.Count);

        var rest = new Point[100];
        Assert.Equal(6, queue.GetMany(rest));
        Assert.Equal(points[4..], rest[..6]);
        Assert.Equal(0, queue.TryGetMany(rest, TimeSpan.Zero));
    }

    [Fact]
    public void Single_items_and_runs_mix_in_one_order()
    {
        using var queue = new CrossProcessQueue<int>();
        queue.Put(1);
        queue.PutMany([2, 3]);
        queue.Put(4);

        var run = new int[3];
        Assert.Equal(3, queue.GetMany(run));
        Assert.Equal([1, 2, 3], run);
        Assert.Equal(4, queue.Get(TimeSpan.Zero));
    }

    [Fact]
    public async Task Strings_byte_arrays_and_codec_types_pass_in_runs_with_messages_longer_than_a_chunk_among_them()
    {
        // A 4 KiB ring takes records of up to about 1 KiB: the long items cross it in chunks, inside the runs.
        using var texts = new CrossProcessQueue<string>(capacityBytes: 4096);
        using var lists = new CrossProcessQueue<List<int>>(capacityBytes: 4096);
        string[] sent = ["", "a", string.Concat(Enumerable.Repeat("héllo wörld ", 500)), "b", new string('x', 3000), "c"];
        List<int>[] sentLists = [[1], [.. Enumerable.Range(0, 2000)], [], [2, 3]];

        var puttingTexts = Task.Run(() =>
        {
            for (int round = 0; round < 50; round++)
            {
                texts.PutMany(sent);
            }
        });
        var puttingLists = Task.Run(() =>
        {
            for (int round = 0; round < 50; round++)
            {
                lists.PutMany(sentLists);
            }
        });

        var textsReceived = new List<string>();
        var run = new string[4];
        while (textsReceived.Count < 50 * sent.Length)
        {
            int taken = texts.TryGetMany(run, SafetyTimeout);
            Assert.True(taken > 0, "The texts stopped coming.");
            textsReceived.AddRange(run[..taken]);
        }

        var listsReceived = new List<List<int>>();
        var listRun = new List<int>[3];
        while (listsReceived.Count < 50 * sentLists.Length)
        {
            int taken = lists.TryGetMany(listRun, SafetyTimeout);
            Assert.True(taken > 0, "The lists stopped coming.");
            listsReceived.AddRange(listRun[..taken]);
        }

        await Task.WhenAll(puttingTexts, puttingLists).WaitAsync(SafetyTimeout);
        Assert.Equal(Enumerable.Repeat(sent, 50).SelectMany(s => s), textsReceived);
        Assert.Equal(Enumerable.Repeat(sentLists, 50).SelectMany(s => s), listsReceived);
        Assert.Throws<ArgumentNullException>(() => texts.PutMany(["fine", null!]));
    }

    [Fact]
    public void A_bounded_queue_takes_what_fits_within_the_timeout_and_says_how_many()
    {
        using var queue = new CrossProcessQueue<int>(maxCount: 5);
        Assert.Equal(5, queue.TryPutMany([.. Enumerable.Range(0, 8)], TimeSpan.Zero));
        Assert.Equal(0, queue.TryPutMany([8], TimeSpan.FromMilliseconds(50)));
        Assert.Equal(5, queue.Count);

        var run = new int[10];
        Assert.Equal(5, queue.GetMany(run));
        Assert.Equal([0, 1, 2, 3, 4], run[..5]);
    }

    [Fact]
    public async Task PutMany_on_a_full_queue_waits_for_a_consumer_and_puts_everything()
    {
        using var queue = new CrossProcessQueue<int>(maxCount: 3);
        var putting = Task.Run(() => queue.PutMany([.. Enumerable.Range(0, 100)]));

        var received = new List<int>();
        var run = new int[2];
        while (received.Count < 100)
        {
            int taken = queue.TryGetMany(run, SafetyTimeout);
            Assert.True(taken > 0);
            Assert.True(queue.Count <= 3, "The queue held more items than its bound.");
            received.AddRange(run[..taken]);
        }

        await putting.WaitAsync(SafetyTimeout);
        Assert.Equal(Enumerable.Range(0, 100), received);
    }

    [Fact]
    public void Cancelling_a_waiting_run_returns_how_many_were_put_and_cancelling_before_any_throws()
    {
        using var queue = new CrossProcessQueue<int>(maxCount: 3);
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
        {
            Assert.Equal(3, queue.TryPutMany([1, 2, 3, 4, 5], Timeout.InfiniteTimeSpan, cancel.Token));
        }

        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
        {
            Assert.ThrowsAny<OperationCanceledException>(() => queue.TryPutMany([4, 5], Timeout.InfiniteTimeSpan, cancel.Token));
        }

        Assert.Equal(3, queue.Count);
    }

    [Fact]
    public void GetMany_ends_with_zero_once_the_queue_is_completed_and_drained()
    {
        using var queue = new CrossProcessQueue<int>();
        queue.PutMany([1, 2, 3]);
        queue.Complete();

        var run = new int[2];
        Assert.Equal(2, queue.GetMany(run));
        Assert.Equal(1, queue.GetMany(run));
        Assert.Equal(0, queue.GetMany(run));
        Assert.True(queue.IsCompleted);

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => queue.PutMany([4]));
        Assert.Contains("completed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_stops_a_run_waiting_for_room_and_the_error_says_how_many_items_went_in()
    {
        using var queue = new CrossProcessQueue<int>(maxCount: 2);
        var putting = Task.Run(() => queue.PutMany([1, 2, 3, 4]));
        Assert.True(SpinWait.SpinUntil(() => queue.Count == 2, SafetyTimeout));
        queue.Complete();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => putting.WaitAsync(SafetyTimeout));
        Assert.Contains("2 of the 4 items were put", error.Message, StringComparison.Ordinal);
        var run = new int[4];
        Assert.Equal(2, queue.GetMany(run));
        Assert.Equal(0, queue.GetMany(run));
    }

    [Fact]
    public void GetMany_honours_its_timeout_and_cancellation_and_refuses_an_empty_destination()
    {
        using var queue = new CrossProcessQueue<int>();
        var run = new int[4];
        Assert.Equal(0, queue.TryGetMany(run, TimeSpan.FromMilliseconds(50)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.ThrowsAny<OperationCanceledException>(() => queue.GetMany(run, cancel.Token));
        ArgumentException error = Assert.Throws<ArgumentException>(() => queue.GetMany(Span<int>.Empty));
        Assert.Contains("at least one item", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Threads_putting_and_getting_runs_deliver_every_item_exactly_once()
    {
        const int producers = 4;
        const int perProducer = 200_000;
        using var queue = new CrossProcessQueue<int>(maxCount: 5000, capacityBytes: 32 * 1024);
        var producing = Enumerable.Range(0, producers).Select(p => Task.Run(() =>
        {
            int[] run = new int[97];
            for (int put = 0; put < perProducer; put += run.Length)
            {
                int length = Math.Min(run.Length, perProducer - put);
                for (int i = 0; i < length; i++)
                {
                    run[i] = (p * perProducer) + put + i;
                }

                queue.PutMany(run.AsSpan(0, length));
            }
        })).ToArray();
        var consuming = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var mine = new List<int>();
            int[] run = new int[64];
            for (int taken; (taken = queue.GetMany(run)) > 0;)
            {
                mine.AddRange(run.AsSpan(0, taken));
            }

            return mine;
        })).ToArray();

        await Task.WhenAll(producing).WaitAsync(SafetyTimeout);
        queue.Complete();
        List<int>[] taken = await Task.WhenAll(consuming).WaitAsync(SafetyTimeout);

        Assert.Equal(Enumerable.Range(0, producers * perProducer), taken.SelectMany(t => t).Order());
        foreach (List<int> mine in taken)
        {
            // Each producer's items reach any one consumer in the order they were put.
            foreach (IGrouping<int, int> fromOne in mine.GroupBy(i => i / perProducer))
            {
                Assert.Equal(fromOne.Order(), fromOne);
            }
        }
    }
}
