using System.Text.RegularExpressions;
using ParallelDsl.Tests.Fixtures;

namespace ParallelDsl.Cluster.Tests;

/// <summary>The pool API over a real broker and real worker programs: results, errors with host and pid, other builds.</summary>
[Collection(BrokerCollection.Name)]
public sealed class ClusterPoolTests(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public void Map_submit_and_map_unordered_run_on_two_worker_programs()
    {
        string queue = Queues.New();
        using var first = WorkerProgram.Start(broker.Uri, queue, concurrency: 2);
        using var second = WorkerProgram.Start(broker.Uri, queue, concurrency: 1);
        using ClusterPool pool = Queues.Connect(broker, queue);

        int[] inputs = [.. Enumerable.Range(0, 10_000)];
        var progress = new List<int>();
        int[] doubled = pool.Map(ClusterTasks.Double, inputs, progress: new SynchronousProgress(report => progress.Add(report.Completed)), timeout: Patience);
        Assert.Equal(inputs.Select(x => x * 2), doubled);
        Assert.Equal(inputs.Length, progress.Last());

        PoolTask<int> single = pool.Submit(ClusterTasks.Double, 21);
        Assert.True(single.Wait(Patience));
        Assert.Equal(42, single.Result);
        Assert.Equal(Enumerable.Range(0, 100).Select(x => x * 2).ToHashSet(), pool.MapUnordered(ClusterTasks.Double, Enumerable.Range(0, 100), timeout: Patience).ToHashSet());
    }

    [Fact]
    public void An_exception_in_a_task_comes_home_as_a_remote_exception_with_the_host_and_pid()
    {
        string queue = Queues.New();
        using var worker = WorkerProgram.Start(broker.Uri, queue);
        using ClusterPool pool = Queues.Connect(broker, queue);

        var failure = Assert.Throws<AggregateException>(() => pool.Map(ClusterTasks.Fail, [7], timeout: Patience));
        var task = Assert.IsType<PoolTaskException>(Assert.Single(failure.InnerExceptions));
        var remote = Assert.IsType<RemoteException>(task.InnerException);
        Assert.Equal(typeof(InvalidOperationException).FullName, remote.RemoteTypeName);
        Assert.Equal("task 7 refused", remote.RemoteMessage);
        Assert.Contains(Environment.MachineName, remote.ProcessName, StringComparison.Ordinal);
        Assert.True(remote.ProcessId > 0 && remote.ProcessId != worker.Pid && remote.ProcessId != Environment.ProcessId);
    }

    [Fact]
    public void A_worker_from_another_build_fails_the_unknown_method_naming_it_and_its_host()
    {
        string queue = Queues.New();
        using var worker = WorkerProgram.Start(broker.Uri, queue);
        using ClusterPool pool = Queues.Connect(broker, queue);

        // ClientOnlyTasks is compiled into the tests only: the worker program is a build of different source.
        var failure = Assert.Throws<AggregateException>(() => pool.Map(ClientOnlyTasks.Triple, [1, 2], timeout: Patience));
        Assert.Equal(2, failure.InnerExceptions.Count);
        var remote = Assert.IsType<RemoteException>(failure.InnerExceptions[0].InnerException);
        Assert.Contains("ClientOnlyTasks.Triple", remote.Message, StringComparison.Ordinal);
        Assert.Contains(Environment.MachineName, remote.Message, StringComparison.Ordinal);
        Assert.Contains("different source", remote.Message, StringComparison.Ordinal);

        // The worker goes on serving the methods it knows.
        Assert.Equal([4], pool.Map(ClusterTasks.Double, [2], timeout: Patience));
    }

    [Fact]
    public void A_worker_whose_build_encodes_a_method_differently_fails_its_tasks_unrun_naming_both_shapes_and_serves_on()
    {
        string queue = Queues.New();
        string log = Path.GetTempFileName();
        try
        {
            using var worker = WorkerProgram.Start(broker.Uri, queue, log: log);
            using ClusterPool pool = Queues.Connect(broker, queue);

            // Parcel has one member more here than in the worker program: Weigh has the same id there, and another shape.
            Parcel[] parcels = [new(500, "books", Fragile: false), new(120, "vase", Fragile: true)];
            var failure = Assert.Throws<AggregateException>(() => pool.Map(ClusterTasks.Weigh, parcels, timeout: Patience));
            Assert.Equal(2, failure.InnerExceptions.Count);
            string callerShape = $"0x{ClusterTasks.WeighProcess.ShapeId:X16}";
            foreach (Exception task in failure.InnerExceptions)
            {
                var remote = Assert.IsType<RemoteException>(task.InnerException);
                Assert.Equal(Environment.MachineName, remote.ProcessName);
                Assert.Contains($"The worker program on {Environment.MachineName} (pid {worker.Pid})", remote.Message, StringComparison.Ordinal);
                Assert.Contains("the worker's build encodes ParallelDsl.Tests.Fixtures.ClusterTasks.Weigh(ParallelDsl.Tests.Fixtures.Parcel) differently", remote.Message, StringComparison.Ordinal);
                Match shapes = Regex.Match(remote.Message, @"shape (0x[0-9A-F]{16}) here, (0x[0-9A-F]{16}) at the caller; deploy the same build to every worker\.");
                Assert.True(shapes.Success, remote.Message);
                Assert.Equal(callerShape, shapes.Groups[2].Value);
                Assert.NotEqual(callerShape, shapes.Groups[1].Value);
            }

            // The worker serves on, and the refused batch ran nowhere: it was answered and acknowledged, not dead-lettered.
            Assert.Equal([4], pool.Map(ClusterTasks.Double, [2], timeout: Patience));
            Assert.True(worker.Terminate(Patience), "the worker program did not drain and exit on SIGTERM");
            Assert.Equal(0, worker.ExitCode);
            Assert.Equal(string.Empty, File.ReadAllText(log));
            Assert.Equal(0u, Queues.MessageCount(broker, queue));
            Assert.Equal(0u, Queues.MessageCount(broker, $"{queue}.dead"));
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public void Shared_memory_and_queue_arguments_fail_their_tasks_naming_the_method_and_argument_and_publish_nothing()
    {
        string queue = Queues.New();
        using ClusterPool cluster = Queues.Connect(broker, queue);
        ProcessPoolBase pool = cluster;   // as code written for either pool sees it: no analyzer can tell it is a cluster
        using var values = new SharedArray<int>([1, 2, 3]);
        using var items = new CrossProcessQueue<int>(16);

        var mapped = Assert.Throws<AggregateException>(() => pool.Map(ClientOnlyTasks.SumShared, [values, values], timeout: Patience));
        Assert.Equal(2, mapped.InnerExceptions.Count);
        var error = Assert.IsType<ArgumentException>(mapped.InnerExceptions[0].InnerException);
        Assert.Contains("ClientOnlyTasks.SumShared", error.Message, StringComparison.Ordinal);
        Assert.Contains("SharedArray<Int32>", error.Message, StringComparison.Ordinal);
        Assert.Contains("another machine", error.Message, StringComparison.Ordinal);

        var starred = Assert.Throws<AggregateException>(() => pool.StarMap(ClientOnlyTasks.Drain, [(1, items)], timeout: Patience));
        error = Assert.IsType<ArgumentException>(Assert.Single(starred.InnerExceptions).InnerException);
        Assert.Contains("ClientOnlyTasks.Drain", error.Message, StringComparison.Ordinal);
        Assert.Contains("argument 2 (CrossProcessQueue<Int32>)", error.Message, StringComparison.Ordinal);

        Assert.Equal(0u, Queues.MessageCount(broker, queue));
    }

    [Fact]
    public void A_worker_with_another_key_runs_nothing_and_dead_letters_the_batch()
    {
        string queue = Queues.New();
        string log = Path.GetTempFileName();
        try
        {
            using var stranger = WorkerProgram.Start(broker.Uri, queue, log: log, key: "not-the-cluster-key-at-all");
            using ClusterPool pool = Queues.Connect(broker, queue);

            // The rejected batch is dead-lettered, and its dead letter fails the caller's task at once: not a timeout.
            var failure = Assert.Throws<AggregateException>(() => pool.Map(ClusterTasks.SlowDouble, [10], timeout: TimeSpan.FromSeconds(30)));
            var rejected = Assert.IsType<RemoteException>(Assert.Single(failure.InnerExceptions).InnerException);
            Assert.Contains($"dead-lettered to '{queue}.dead' unrun (reason: rejected)", rejected.Message, StringComparison.Ordinal);
            Assert.Contains("ClusterTasks.SlowDouble", rejected.Message, StringComparison.Ordinal);
            Assert.Contains("signature does not match", stranger.Output, StringComparison.Ordinal);
            Assert.Contains("dead-lettered, not run", stranger.Output, StringComparison.Ordinal);
            Assert.Equal(string.Empty, File.ReadAllText(log));
            Assert.True(Queues.MessageCount(broker, $"{queue}.dead") >= 1);
        }
        finally
        {
            File.Delete(log);
        }
    }
    [Fact]
    public async Task Tasks_no_worker_answers_fail_at_their_expiry_naming_the_queue_and_the_pool_still_disposes()
    {
        string queue = Queues.New();
        var pool = ClusterPool.Connect(broker.Uri, new ClusterOptions { Queue = queue, Key = WorkerProgram.Key, TaskExpiry = TimeSpan.FromSeconds(2) });
        PoolTask<int> single = pool.Submit(ClusterTasks.SlowDouble, 1);
        Task<int[]> map = pool.MapAsync(ClusterTasks.SlowDouble, [1, 2, 3], chunkSize: 3);

        // No worker program serves the queue: without the expiry, these would wait (and Dispose with them) for ever.
        var expired = Assert.Throws<TimeoutException>(() => single.GetResult(Patience));
        Assert.Contains("the task of ParallelDsl.Tests.Fixtures.ClusterTasks.SlowDouble(int) at input index 0", expired.Message, StringComparison.Ordinal);
        Assert.Contains($"serving queue '{queue}'", expired.Message, StringComparison.Ordinal);
        var failures = await Assert.ThrowsAsync<AggregateException>(() => map.WaitAsync(Patience));
        Assert.Equal(3, failures.InnerExceptions.Count);
        Assert.All(failures.InnerExceptions, failure => Assert.Contains("input indexes 0 to 2", failure.InnerException!.Message, StringComparison.Ordinal));
        await pool.DisposeAsync().AsTask().WaitAsync(Patience);

        // A worker that takes the expired batches later skips them: nothing runs, and the queue is left empty.
        string log = Path.GetTempFileName();
        try
        {
            using var late = WorkerProgram.Start(broker.Uri, queue, log: log);
            DateTime until = DateTime.UtcNow + Patience;
            while (Queues.MessageCount(broker, queue) > 0 && DateTime.UtcNow < until)
            {
                Thread.Sleep(100);
            }

            Assert.Equal(0u, Queues.MessageCount(broker, queue));
            Assert.Equal(string.Empty, File.ReadAllText(log));
        }
        finally
        {
            File.Delete(log);
        }
    }
}

/// <summary>Methods of this build only: no worker program knows them.</summary>
public static partial class ClientOnlyTasks
{
    [RunInProcess]
    public static int Triple(int x) => x * 3;

    [RunInProcess]
    public static int SumShared(SharedArray<int> values)
    {
        int sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
        }

        return sum;
    }

    [RunInProcess]
    public static int Drain(int count, CrossProcessQueue<int> queue)
    {
        for (int i = 0; i < count; i++)
        {
            queue.Get();
        }

        return count;
    }
}
