using ParallelDsl;
using ParallelDsl.Tests.Processes;
using static ParallelDsl.Runtime.Tests.Pools.PoolProcessMethods;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// <see cref="ProcessPool"/> with real worker processes, driven through the generated interceptors
/// (<c>pool.Map(Square, items)</c>). Every test checks that no worker process outlives the pool.
/// </summary>
public sealed class ProcessPoolProcessTests : WorkerProcessTest
{
    [Fact]
    public void Map_over_a_method_group_runs_in_worker_processes()
    {
        using var pool = new ProcessPool(workers: 2);

        int[] squares = pool.Map(Square, [1, 2, 3, 4], timeout: Safety);
        int[] pids = pool.Map(WorkerPid, Enumerable.Range(0, 8), chunkSize: 1, timeout: Safety);
        long[] sums = pool.StarMap(Add, [(1, 2L), (3, 4L)], timeout: Safety);

        Assert.Equal([1, 4, 9, 16], squares);
        Assert.Equal([3L, 7L], sums);
        Assert.DoesNotContain(Environment.ProcessId, pids);
        AssertGoneAfterDispose(pool, pids);
    }

    [Fact]
    public void Map_keeps_input_order_under_random_task_durations()
    {
        string log = Log("order");
        var random = new Random(1234);
        Probe[] probes = [.. Enumerable.Range(0, 40).Select(i => new Probe(log, i, random.Next(0, 25)))];
        using var pool = new ProcessPool(workers: 3);

        int[] results = pool.Map(Step, probes, chunkSize: 1, timeout: Safety);

        Assert.Equal(Enumerable.Range(0, 40).Select(i => i * i), results);
        AssertGoneAfterDispose(pool, LoggedPids(log));
    }

    [Fact]
    public void MapUnordered_returns_every_result_exactly_once()
    {
        using var pool = new ProcessPool(workers: 2);

        int[] results = [.. pool.MapUnordered(Square, Enumerable.Range(0, 500), chunkSize: 7, timeout: Safety)];

        Assert.Equal(Enumerable.Range(0, 500).Select(i => i * i), results.Order());
    }

    [Fact]
    public void One_hundred_thousand_tiny_tasks_lose_nothing_and_duplicate_nothing()
    {
        using var pool = new ProcessPool(workers: 2);

        int[] ordered = pool.Map(Square, Enumerable.Range(0, 100_000), timeout: Safety);
        int[] unordered = [.. pool.MapUnordered(Square, Enumerable.Range(0, 100_000), timeout: Safety)];

        int[] expected = [.. Enumerable.Range(0, 100_000).Select(i => i * i)];
        Assert.Equal(expected, ordered);
        Assert.Equal(expected.Order(), unordered.Order());
    }

    [Fact]
    public void Cancellation_stops_dispatch_and_Dispose_leaves_no_worker()
    {
        string log = Log("cancel");
        Probe[] probes = [.. Enumerable.Range(0, 60).Select(i => new Probe(log, i, 100))];
        var pool = new ProcessPool(workers: 2);
        using var cancel = new CancellationTokenSource();
        int seen = 0;

        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (int _ in pool.MapUnordered(Step, probes, chunkSize: 1, timeout: Safety, cancellationToken: cancel.Token))
            {
                if (++seen == 3)
                {
                    cancel.Cancel();
                }
            }
        });

        int[] pids = LoggedPids(log);
        pool.Dispose();
        Assert.True(LoggedValues(log).Length < probes.Length, "every task ran although the call was cancelled");
        Assert.Empty(ProcessTree.WaitUntilGone(pids, TimeSpan.FromSeconds(10)));
        Assert.All(pids, pid => Assert.False(ProcessTree.IsRunning(pid), $"worker {pid} survived Dispose"));
    }

    [Theory]
    [InlineData(StepAction.KillWithSigkill, 1)]
    [InlineData(StepAction.FailFast, 1)]
    [InlineData(StepAction.KillWithSigkill, 0)]
    [InlineData(StepAction.FailFast, 0)]
    [InlineData(StepAction.OverflowStack, 1)]
    public void A_worker_that_dies_mid_Map_fails_exactly_its_task_and_the_pool_carries_on(StepAction death, int chunkSize)
    {
        string log = Log("crash");
        const int Doomed = 13;
        Probe[] probes = [.. Enumerable.Range(0, 30).Select(i => new Probe(log, i, 5, i == Doomed ? death : StepAction.Answer))];
        using var pool = new ProcessPool(workers: 2);

        var failure = Assert.Throws<AggregateException>(() => pool.Map(Step, probes, chunkSize: chunkSize, timeout: Safety));

        PoolTaskException task = Assert.IsType<PoolTaskException>(Assert.Single(failure.InnerExceptions));
        Assert.Equal(Doomed, task.InputIndex);
        WorkerCrashedException crash = Assert.IsType<WorkerCrashedException>(task.InnerException);
        Assert.Equal(Doomed, crash.InputIndex);
        Assert.StartsWith("ProcessPool-", crash.WorkerName, StringComparison.Ordinal);
        Assert.Contains($"input index {Doomed}", crash.Message, StringComparison.Ordinal);
        Assert.NotNull(crash.WorkerProcessId);
        Assert.False(ProcessTree.IsRunning(crash.WorkerProcessId!.Value));
        int[] others = [.. Enumerable.Range(0, 30).Where(i => i != Doomed)];
        if (chunkSize == 1)
        {
            // One task per frame: every other task ran exactly once (those behind the dead one were re-queued, not lost).
            Assert.Equal(others, LoggedValues(log).Order());
        }
        else
        {
            // Batched: the batch-mates that ended before the death but were not reported ran again (documented).
            Assert.Equal(others, LoggedValues(log).Distinct().Order());
        }

        Assert.Equal([1, 4, 9], pool.Map(Square, [1, 2, 3], timeout: Safety));
    }

    [Fact]
    public void An_exception_in_a_task_is_its_result_and_the_worker_lives_on()
    {
        string log = Log("throw");
        using var pool = new ProcessPool(workers: 1);
        int before = Assert.Single(pool.Map(WorkerPid, [0], timeout: Safety));

        var failure = Assert.Throws<AggregateException>(() =>
            pool.Map(Step, [new Probe(log, 1), new Probe(log, 2, Action: StepAction.Throw), new Probe(log, 3)], timeout: Safety));

        PoolTaskException task = Assert.IsType<PoolTaskException>(Assert.Single(failure.InnerExceptions));
        Assert.Equal(1, task.InputIndex);
        RemoteException remote = Assert.IsType<RemoteException>(task.InnerException);
        Assert.Equal(typeof(InvalidDataException).FullName, remote.RemoteTypeName);
        Assert.Equal("bad value 2", remote.RemoteMessage);
        Assert.Equal(before, remote.ProcessId);
        Assert.Equal([before], pool.Map(WorkerPid, [0], timeout: Safety));
    }

    [Fact]
    public void MaxTasksPerWorker_replaces_worker_processes()
    {
        using var pool = new ProcessPool(workers: 1, maxTasksPerWorker: 2);

        int[] pids = pool.Map(WorkerPid, Enumerable.Range(0, 6), chunkSize: 1, timeout: Safety);

        Assert.Equal(3, pids.Distinct().Count());
        Assert.Equal([pids[0], pids[0], pids[2], pids[2], pids[4], pids[4]], pids);
        AssertGoneAfterDispose(pool, pids);
    }

    [Fact]
    public void The_initializer_runs_once_in_every_worker_process()
    {
        string log = Log("init");
        Environment.SetEnvironmentVariable(InitializerLogVariable, log);
        try
        {
            using var pool = new ProcessPool(workers: 2, maxTasksPerWorker: 3, initializer: ProcessAction.Of(Setup));

            int[] pids = pool.Map(WorkerPid, Enumerable.Range(0, 12), chunkSize: 1, timeout: Safety);

            // Once per worker: no worker initialized twice, and every worker that ran a task had been initialized.
            int[] initialized = [.. ProcessLog.Lines(log).Select(int.Parse)];
            Assert.Equal(initialized.Length, initialized.Distinct().Count());
            Assert.Subset(initialized.ToHashSet(), pids.ToHashSet());
            Assert.All(pids.CountBy(pid => pid), ran => Assert.InRange(ran.Value, 1, 3));
        }
        finally
        {
            Environment.SetEnvironmentVariable(InitializerLogVariable, null);
        }
    }

    [Fact]
    public void A_lambda_is_not_redirected_and_fails_with_a_clear_message()
    {
        using var pool = new ProcessPool(workers: 1);

        // PDSL0010 reports this call at compile time; the test proves the run-time error for code built without it.
#pragma warning disable PDSL0010
        var error = Assert.Throws<InvalidOperationException>(() => pool.Map((int n) => n + 1, [1, 2, 3]));
#pragma warning restore PDSL0010

        Assert.Contains("a lambda", error.Message, StringComparison.Ordinal);
        Assert.Contains("[RunInProcess]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_killed_while_idle_is_replaced_and_the_next_task_runs()
    {
        using var pool = new ProcessPool(workers: 1);
        int first = pool.Submit(WorkerPid, 0).GetResult(Safety);

        using (var idle = System.Diagnostics.Process.GetProcessById(first))
        {
            // Until every thread of the killed worker has ended, its socket is still open and a task sent to it
            // would be lost with it: the death must be complete while the worker is idle.
            idle.Kill();
            Assert.True(idle.WaitForExit(Safety));
        }

        int second = pool.Submit(WorkerPid, 1).GetResult(Safety);

        Assert.NotEqual(first, second);
        Assert.Equal([4, 9], pool.Map(Square, [2, 3], timeout: Safety));
        AssertGoneAfterDispose(pool, [first, second]);
    }

    [Fact]
    public void Leaving_a_using_block_runs_every_submitted_task_even_when_a_worker_dies_during_the_drain()
    {
        string log = Log("drain");
        const int Doomed = 7;
        PoolTask<int>[] futures;
        int[] pids;
        using (var pool = new ProcessPool(workers: 2))
        {
            futures = [.. Enumerable.Range(0, 20).Select(i => pool.Submit(Step, new Probe(log, i, 5, i == Doomed ? StepAction.KillWithSigkill : StepAction.Answer)))];
            pids = [.. pool.Map(WorkerPid, [0, 1], chunkSize: 1, timeout: Safety)];
        }

        Assert.Equal([.. Enumerable.Range(0, 20).Where(i => i != Doomed)], LoggedValues(log).Order());
        Assert.IsType<WorkerCrashedException>(futures[Doomed].Exception);
        Assert.All(Enumerable.Range(0, 20).Where(i => i != Doomed), i => Assert.Equal(i * i, futures[i].Result));
        Assert.Empty(ProcessTree.WaitUntilGone([.. pids, .. LoggedPids(log)], TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Terminate_while_a_task_runs_in_a_worker_process_cancels_it_and_the_pool_joins()
    {
        string log = Log("terminate");
        var pool = new ProcessPool(workers: 1);
        int pid = pool.Submit(WorkerPid, 0).GetResult(Safety);
        PoolTask<int> running = pool.Submit(Step, new Probe(log, 1, SleepMilliseconds: 60_000));
        Assert.True(SpinWait.SpinUntil(() => running.IsRunning, Safety));

        pool.Terminate();

        Assert.True(pool.Join(Safety));
        Assert.True(running.IsCancelled);
        Assert.Empty(LoggedValues(log));
        Assert.False(ProcessTree.IsRunning(pid), $"worker {pid} survived Terminate");
        AssertGoneAfterDispose(pool, [pid]);
    }

    [Theory]
    [InlineData(4, 4 * 1024 * 1024, true)]
    [InlineData(1100, 8 * 1024, false)]
    public void Large_arguments_and_results_cross_while_the_next_ones_are_in_flight(int count, int size, bool timed)
    {
        // One chunk: with a task timeout its tasks go one per frame, two frames in flight; without, in batches of
        // up to 512, two batches in flight. Either way frames larger than the socket buffers (a few MiB) go out
        // while results as large come back: written blindly, each side would wait for the other to read.
        byte[][] items = [.. Enumerable.Range(0, count).Select(i => Enumerable.Range(0, size).Select(b => (byte)(b * 31 + i)).ToArray())];
        using var pool = new ProcessPool(workers: 1, taskTimeout: timed ? TimeSpan.FromMinutes(5) : null);

        byte[][] results = pool.Map(Reverse, items, chunkSize: count, timeout: Safety);

        Assert.Equal(count, results.Length);
        Assert.All(Enumerable.Range(0, count), i => Assert.Equal(items[i].Reverse(), results[i]));
    }
}
