using static ParallelDsl.Runtime.Tests.SharedMemory.HandleArgumentWorkers;

namespace ParallelDsl.Runtime.Tests.SharedMemory;

/// <summary>
/// Shared values, arrays, queues, pipe ends and locks passed as arguments to <c>[RunInProcess]</c> methods through the
/// generated launchers: each child opens a connected end of the parent's object, never a copy.
/// </summary>
public sealed class HandleArgumentTests : IDisposable
{
    private const int Children = 4;
    private const int PerChild = 100_000;
    private static readonly TimeSpan Safety = TimeSpan.FromMinutes(3);
    private readonly List<ProcessHandle> _started = [];

    [Theory]
    [InlineData(CountingMode.Add)]
    [InlineData(CountingMode.Update)]
    [InlineData(CountingMode.Lock)]
    public void Four_children_counting_through_a_Shared_argument_lose_no_update(CountingMode mode)
    {
        using var counter = new Shared<long>();

        JoinAll(Enumerable.Range(0, Children).Select(_ => Track(StartCount(counter, mode, PerChild))));

        Assert.Equal(Children * PerChild, counter.Value);
    }

    [Theory]
    [InlineData(CountingMode.Add)]
    [InlineData(CountingMode.Update)]
    [InlineData(CountingMode.Lock)]
    public void Four_children_counting_through_a_SharedValue_property_lose_no_update(CountingMode mode)
    {
        long before = Hits.Value;

        JoinAll(Enumerable.Range(0, Children).Select(_ => Track(StartCountHits(mode, PerChild))));

        Assert.Equal(before + (Children * PerChild), Hits.Value);
    }

    [Fact]
    public void What_a_child_writes_into_a_SharedArray_argument_is_in_the_parent_array_itself()
    {
        using var array = new SharedArray<long>(1000, -1);
        Span<long> before = array.AsSpan();

        ProcessHandle<int> child = Track(StartWriteSquares(array));
        Assert.True(child.Join(Safety), "the child did not finish");

        Assert.NotEqual(Environment.ProcessId, child.Result);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i * i), array.ToArray());
        Assert.Equal(998_001, before[999]);
    }

    [Fact]
    public void Four_producer_children_and_two_consumer_children_pass_every_item_exactly_once()
    {
        const int PerProducer = 250_000;
        const int Total = Children * PerProducer;
        using var queue = new CrossProcessQueue<int>();
        using var seen = new SharedArray<int>(Total);

        var consumers = Enumerable.Range(0, 2).Select(_ => Track(StartConsume(queue, seen))).ToList();
        JoinAll(Enumerable.Range(0, Children).Select(producer => Track(StartProduce(queue, producer, PerProducer))));
        queue.Complete();
        JoinAll(consumers);

        Assert.Equal(Total, consumers.Sum(consumer => consumer.Result));
        int[] counts = seen.ToArray();
        Assert.True(counts.All(count => count == 1), $"items taken other than once: {string.Join(", ", counts.Select((count, item) => (count, item)).Where(p => p.count != 1).Take(10))}");
        Assert.True(queue.IsCompleted);
    }

    [Fact]
    public void A_child_answers_through_a_pipe_end_argument_and_ends_when_the_parent_closes_its_end()
    {
        var (mine, theirs) = Pipe.Create<int>();
        ProcessHandle<int> child;
        using (theirs)
        {
            child = Track(StartPingPong(theirs));
            mine.Send(0);
            Assert.True(mine.TryReceive(Safety, out int first), "the child never answered");
            Assert.Equal(1, first);
        }

        for (int i = 1; i < 100; i++)
        {
            mine.Send(i * 10);
            Assert.Equal((i * 10) + 1, mine.Receive());
        }

        mine.Dispose();
        Assert.True(child.Join(Safety), "the child did not see the end of the stream");
        Assert.Equal(100, child.Result);
    }

    [Fact]
    public void A_child_closing_its_pipe_end_is_the_end_of_the_stream_in_the_parent_while_the_child_still_runs()
    {
        var (mine, theirs) = Pipe.Create<string>();
        using var exit = new CrossProcessEvent();
        ProcessHandle child;
        using (mine)
        {
            using (theirs)
            {
                child = Track(StartSendAndClose(theirs, ["alpha", "beta", "gamma"], exit));
                Assert.True(mine.TryReceive(Safety, out string? first), "the child sent nothing");
                Assert.Equal("alpha", first);
            }

            Assert.Equal("beta", mine.Receive());
            Assert.Equal("gamma", mine.Receive());
            Assert.Throws<EndOfStreamException>(() => mine.Receive(new CancellationTokenSource(Safety).Token));
            Assert.True(mine.IsPeerClosed);
            Assert.True(child.IsAlive, "the end of the stream came from the child's exit, not from closing its end");
        }

        exit.Set();
        Assert.True(child.Join(Safety), "the child did not exit");
    }

    [Fact]
    public void A_child_killed_while_holding_a_lock_argument_abandons_it_and_the_next_Lock_says_so()
    {
        using var gate = new CrossProcessLock();
        using var locked = new CrossProcessEvent();

        ProcessHandle child = Track(StartHoldLock(gate, locked));
        Assert.True(locked.Wait(Safety), "the child never took the lock");
        Assert.False(gate.TryLock(TimeSpan.FromMilliseconds(100), out _));
        child.Kill();
        Assert.True(child.Join(Safety));
        Assert.IsType<ProcessTerminatedException>(child.Exception);
        Assert.Equal(137, child.ExitCode);

        Assert.True(gate.TryLock(Safety, out LockScope scope), "the lock of the killed child was never released");
        Assert.True(scope.WasAbandoned);
        scope.Dispose();
        using LockScope next = gate.Lock();
        Assert.False(next.WasAbandoned);
    }

    [Fact]
    public void A_queue_disposed_before_the_child_could_open_it_fails_the_child_with_an_error_naming_it_instead_of_hanging()
    {
        ProcessHandle child;
        using (var queue = new CrossProcessQueue<int>())
        {
            // The child cannot have opened it yet: it is still starting its runtime when Start returns.
            child = Track(StartProduce(queue, 0, 1));
        }

        Assert.True(child.Join(Safety));
        RemoteException error = Assert.IsType<RemoteException>(child.Exception);

        Assert.Contains(error.RemoteTypeName, new[] { "System.InvalidOperationException", "System.ArgumentException" });
        Assert.Contains("CrossProcessQueue<", error.RemoteMessage, StringComparison.Ordinal);
    }

    /// <summary>Kills what a failed test left running, then checks that nothing reached /dev/shm.</summary>
    public void Dispose()
    {
        foreach (ProcessHandle handle in _started)
        {
            handle.Dispose();
        }

        string[] files = Directory.Exists("/dev/shm") ? Directory.GetFileSystemEntries("/dev/shm") : [];
        Assert.DoesNotContain(files, path => path.Contains("pdsl", StringComparison.OrdinalIgnoreCase));
    }

    private T Track<T>(T handle)
        where T : ProcessHandle
    {
        _started.Add(handle);
        return handle;
    }

    private static void JoinAll(IEnumerable<ProcessHandle> handles)
    {
        foreach (ProcessHandle handle in handles.ToList())
        {
            Assert.True(handle.Join(Safety), $"{handle.Name} did not finish");
        }
    }
}
