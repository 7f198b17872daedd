using System.Globalization;
using ParallelDsl.Runtime.Tests.SharedMemory;

namespace ParallelDsl.Runtime.Tests.Queues;

/// <summary>CrossProcessQueue between this process and real child processes of the fixture program.</summary>
public class QueueCrossProcessTests
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("queue-put", "queue-forward")]
    [InlineData("queue-put-many", "queue-forward-many")]
    [InlineData("queue-put", "queue-forward-many")]
    [InlineData("queue-put-many", "queue-forward")]
    public async Task Four_producer_processes_and_two_consumer_processes_deliver_every_item_exactly_once(string produce, string forward)
    {
        const int producers = 4;
        const int perProducer = 250_000;
        using var work = new CrossProcessQueue<int>(maxCount: 10_000, capacityBytes: 64 * 1024);
        using var results = new CrossProcessQueue<int>();
        var consumers = Enumerable.Range(0, 2).Select(_ => FixtureProcess.Start(forward, work.HandleName, results.HandleName)).ToList();
        var producing = Enumerable.Range(0, producers)
            .Select(p => FixtureProcess.Start(produce, work.HandleName, Text(p * perProducer), Text(perProducer)))
            .ToList();
        try
        {
            var seen = new int[producers * perProducer];
            var draining = Task.Run(() =>
            {
                int[] run = new int[1000];
                for (int received = 0; received < seen.Length;)
                {
                    int taken = results.TryGetMany(run, SafetyTimeout);
                    Assert.True(taken > 0, $"The results stopped after {received} of {seen.Length} items.");
                    foreach (int item in run.AsSpan(0, taken))
                    {
                        seen[item]++;
                    }

                    received += taken;
                }
            });

            producing.ForEach(p => p.Succeeds());
            work.Complete();
            consumers.ForEach(c => c.Succeeds());
            await draining.WaitAsync(SafetyTimeout);
            Assert.Equal(0, results.Count);
            Assert.All(seen, count => Assert.Equal(1, count));
        }
        finally
        {
            producing.Concat(consumers).ToList().ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public void A_producer_killed_while_putting_runs_does_not_wedge_the_queue_and_leaves_a_prefix_of_whole_items()
    {
        using var queue = new CrossProcessQueue<int>(capacityBytes: 64 * 1024);
        using (FixtureProcess child = FixtureProcess.Start("queue-put-many-forever", queue.HandleName))
        {
            Assert.Equal("putting", child.ReadLine());
            Assert.True(SpinWait.SpinUntil(() => queue.Count > 1000, SafetyTimeout));
            child.KillHard();
        }

        var drained = new List<int>();
        int[] run = new int[128];
        for (int taken; (taken = queue.TryGetMany(run, TimeSpan.Zero)) > 0;)
        {
            drained.AddRange(run.AsSpan(0, taken));
        }

        Assert.Equal(Enumerable.Range(0, drained.Count), drained);
        queue.PutMany([-1, -2]);
        Assert.Equal(2, queue.TryGetMany(run, SafetyTimeout));
        Assert.Equal([-1, -2], run[..2]);
    }

    [Fact]
    public void Producer_processes_and_consumer_threads_deliver_every_item_exactly_once()
    {
        const int perProducer = 250_000;
        using var queue = new CrossProcessQueue<int>();
        var producing = Enumerable.Range(0, 4)
            .Select(p => FixtureProcess.Start("queue-put", queue.HandleName, Text(p * perProducer), Text(perProducer)))
            .ToList();
        try
        {
            var taken = new List<int>[2];
            Thread[] consumers = [.. Enumerable.Range(0, 2).Select(c => new Thread(() => taken[c] = [.. queue.GetConsumingEnumerable()]))];
            Array.ForEach(consumers, t => t.Start());

            producing.ForEach(p => p.Succeeds());
            queue.Complete();
            Assert.All(consumers, t => Assert.True(t.Join(SafetyTimeout)));

            Assert.Equal(Enumerable.Range(0, 4 * perProducer), taken.SelectMany(t => t).Order());
            Assert.All(taken, items => Assert.NotEmpty(items));
        }
        finally
        {
            producing.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public void A_child_that_put_items_and_exited_leaves_them_all_for_the_parent_to_drain_after_joining_it()
    {
        const int count = 100_000;
        using var queue = new CrossProcessQueue<int>();
        using (FixtureProcess child = FixtureProcess.Start("queue-put", queue.HandleName, "0", Text(count)))
        {
            // Python's join-before-drain trap: join first, drain afterwards. The child must have exited on its own.
            Assert.Equal("done", child.Succeeds().Trim());
            Assert.True(child.HasExited);
        }

        Assert.Equal(count, queue.Count);
        Assert.Equal(Enumerable.Range(0, count), Enumerable.Range(0, count).Select(_ => queue.Get(TimeSpan.Zero)));
        Assert.False(queue.TryGet(out _));
    }

    [Fact]
    public void A_full_bounded_queue_holds_a_producer_process_until_a_consumer_takes_an_item()
    {
        using var queue = new CrossProcessQueue<int>(maxCount: 10);
        using FixtureProcess child = FixtureProcess.Start("queue-put", queue.HandleName, "0", "11");

        Assert.True(SpinWait.SpinUntil(() => queue.Count == 10, SafetyTimeout));
        Thread.Sleep(300);
        Assert.False(child.HasExited, "The producer put an eleventh item into a queue bounded to ten.");
        Assert.Equal(10, queue.Count);

        Assert.Equal(0, queue.Get(TimeSpan.Zero));
        Assert.Equal("done", child.Succeeds().Trim());
        Assert.Equal(Enumerable.Range(1, 10), Enumerable.Range(0, 10).Select(_ => queue.Get(TimeSpan.Zero)));
    }

    [Fact]
    public void A_producer_killed_while_putting_does_not_wedge_the_queue_and_leaves_only_whole_items()
    {
        using var queue = new CrossProcessQueue<int>(capacityBytes: 64 * 1024);
        using (FixtureProcess child = FixtureProcess.Start("queue-put-forever", queue.HandleName))
        {
            Assert.Equal("putting", child.ReadLine());
            Assert.True(SpinWait.SpinUntil(() => queue.Count > 1000, SafetyTimeout));
            child.KillHard();
        }

        var drained = new List<int>();
        while (queue.TryGet(out int item))
        {
            drained.Add(item);
        }

        Assert.Equal(Enumerable.Range(0, drained.Count), drained);
        Assert.True(queue.TryPut(-1, SafetyTimeout), "A put after the producer died could not get the queue.");
        Assert.Equal(-1, queue.Get(SafetyTimeout));
    }

    [Fact]
    public void A_consumer_killed_while_getting_does_not_wedge_the_queue()
    {
        using var queue = new CrossProcessQueue<int>(maxCount: 100);
        using (FixtureProcess child = FixtureProcess.Start("queue-get-forever", queue.HandleName))
        {
            Assert.Equal("getting", child.ReadLine());
            for (int i = 0; i < 20_000; i++)
            {
                Assert.True(queue.TryPut(i, SafetyTimeout));
            }

            child.KillHard();
        }

        using var cancel = new CancellationTokenSource(SafetyTimeout);
        while (queue.TryGet(out _))
        {
        }

        queue.Put(7, cancel.Token);
        Assert.Equal(7, queue.Get(cancel.Token));
    }

    [Fact]
    public void Queues_and_pipes_used_across_processes_leave_no_file_in_dev_shm()
    {
        string[] before = Directory.Exists("/dev/shm") ? Directory.GetFileSystemEntries("/dev/shm") : [];
        using (var queue = new CrossProcessQueue<int>())
        {
            using FixtureProcess child = FixtureProcess.Start("queue-put", queue.HandleName, "0", "10");
            child.Succeeds();
            Assert.Equal(10, queue.Count);
        }

        (PipeEnd<int> mine, PipeEnd<int> theirs) = Pipe.Create<int>();
        using (mine)
        {
            using FixtureProcess child = FixtureProcess.Start("pipe-echo", theirs.HandleName);
            mine.Send(1);
            Assert.Equal(2, mine.Receive());
            theirs.Dispose();
        }

        string[] after = Directory.Exists("/dev/shm") ? Directory.GetFileSystemEntries("/dev/shm") : [];
        Assert.Empty(after.Except(before));
    }

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);
}
