using System.Diagnostics;
using ParallelDsl;
using ParallelDsl.Tests.Processes;
using static ParallelDsl.Runtime.Tests.Pools.PoolProcessMethods;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// A single <c>Submit</c> to a warm <see cref="ProcessPool"/> travels through the worker's shared-memory lane: the
/// submitting thread posts it, and whoever waits collects it (or the pool's slot thread when nobody does). These
/// tests prove each way a lent task can end, with real worker processes, and that no worker outlives its pool.
/// </summary>
public sealed class ProcessPoolLaneTests : WorkerProcessTest
{
    [Fact]
    public void Submit_then_Result_goes_through_the_lane_and_returns_every_result()
    {
        // One worker, whose lane Warm has seen ready (a second one may still be starting and take a task by socket).
        using var pool = new ProcessPool(workers: 1);
        int pid = Warm(pool);
        long before = pool.LaneTasks;

        int[] results = [.. Enumerable.Range(0, 2_000).Select(i => pool.Submit(Square, i).Result)];

        Assert.Equal(Enumerable.Range(0, 2_000).Select(i => i * i), results);

        // Each task found a worker idle (the caller waited for the one before), so each went through a lane.
        Assert.Equal(2_000, pool.LaneTasks - before);
        AssertGoneAfterDispose(pool, [pid]);
    }

    [Fact]
    public void A_task_submitted_while_the_worker_is_busy_takes_the_lane_once_it_is_free()
    {
        string log = Log("busy");
        using var pool = new ProcessPool(workers: 1);
        int pid = Warm(pool);
        long before = pool.LaneTasks;

        PoolTask<int> busy = pool.Submit(Step, new Probe(log, 3, SleepMilliseconds: 100));
        PoolTask<int> queued = pool.Submit(Square, 5);

        // The queued task is lent by the slot thread once the worker is free, and collected by this thread; so the
        // worker is idle again when the result arrives, and the tasks after it are lent by their callers.
        Assert.Equal(25, queued.GetResult(Safety));
        Assert.Equal(9, busy.GetResult(Safety));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * i), Enumerable.Range(0, 100).Select(i => pool.Submit(Square, i).GetResult(Safety)));
        Assert.Equal(102, pool.LaneTasks - before);
        AssertGoneAfterDispose(pool, [pid]);
    }

    [Fact]
    public async Task A_result_nobody_waits_for_is_collected_by_the_pool()
    {
        string log = Log("unwatched");
        using var pool = new ProcessPool(workers: 1);
        int pid = Warm(pool);
        long before = pool.LaneTasks;

        PoolTask<int> task = pool.Submit(Step, new Probe(log, 7, SleepMilliseconds: 50));

        // IsCompleted only looks: the worker rings the slot thread's bell, which collects the result.
        Assert.True(SpinWait.SpinUntil(() => task.IsCompleted, Safety));
        Assert.Equal(49, await task);
        Assert.Equal(1, pool.LaneTasks - before);
        int[] next = await Task.WhenAll(pool.Submit(Step, new Probe(log, 7)).AsTask(), pool.Submit(Step, new Probe(log, 8)).AsTask());
        Assert.Equal([49, 64], next);
        AssertGoneAfterDispose(pool, [pid]);
    }

    [Fact]
    public void A_worker_that_stopped_watching_its_lane_is_woken_for_the_next_task()
    {
        using var pool = new ProcessPool(workers: 1);
        int pid = Warm(pool);
        long before = pool.LaneTasks;
        var random = new Random(4);

        // Pauses around the worker's watch time (100 µs): some tasks find it watching, others asleep in its socket,
        // and some arrive just as it gives up watching. Every one must be taken, none lost or run twice.
        for (int i = 0; i < 400; i++)
        {
            BusyWait(TimeSpan.FromMicroseconds(random.Next(0, 400)));
            Assert.Equal(i * i, pool.Submit(Square, i).GetResult(Safety));
        }

        Thread.Sleep(50);
        Assert.Equal(pid, pool.Submit(WorkerPid, 0).GetResult(Safety));
        Assert.Equal(401, pool.LaneTasks - before);
        AssertGoneAfterDispose(pool, [pid]);
    }

    [Fact]
    public async Task A_result_larger_than_the_lane_comes_through_the_socket()
    {
        using var pool = new ProcessPool(workers: 1);
        int pid = Warm(pool);
        long before = pool.LaneTasks;
        int length = PoolLane.Capacity * 3;

        byte[] waited = pool.Submit(Filled, length).GetResult(Safety);
        byte[] awaited = await pool.Submit(Filled, length + 1);

        // Larger than the socket's buffers: the worker writes while the slot thread reads.
        byte[] huge = pool.Submit(Filled, 8 * 1024 * 1024).GetResult(Safety);

        Assert.Equal(Enumerable.Range(0, length).Select(i => (byte)(i % 251)), waited);
        Assert.Equal(length + 1, awaited.Length);
        Assert.Equal(250, awaited[250]);
        Assert.Equal(8 * 1024 * 1024, huge.Length);
        Assert.Equal((8 * 1024 * 1024 - 1) % 251, huge[^1]);
        Assert.Equal(3, pool.LaneTasks - before);
        Assert.Equal(9, pool.Submit(Square, 3).GetResult(Safety));
        AssertGoneAfterDispose(pool, [pid]);
    }

    [Fact]
    public void An_argument_larger_than_the_lane_takes_the_socket()
    {
        using var pool = new ProcessPool(workers: 1);
        int pid = Warm(pool);
        long before = pool.LaneTasks;
        byte[] data = [.. Enumerable.Range(0, PoolLane.Capacity + 10).Select(i => (byte)i)];

        byte[] reversed = pool.Submit(Reverse, data).GetResult(Safety);

        Assert.Equal(data.Reverse(), reversed);
        Assert.Equal(0, pool.LaneTasks - before);
        Assert.Equal(16, pool.Submit(Square, 4).GetResult(Safety));
        Assert.Equal(1, pool.LaneTasks - before);
        AssertGoneAfterDispose(pool, [pid]);
    }

    [Fact]
    public void An_exception_in_a_lent_task_is_its_result_and_the_worker_lives_on()
    {
        string log = Log("throw");
        using var pool = new ProcessPool(workers: 1);
        int pid = Warm(pool);
        long before = pool.LaneTasks;

        PoolTask<int> task = pool.Submit(Step, new Probe(log, 2, Action: StepAction.Throw));

        var remote = Assert.Throws<RemoteException>(() => task.Result);
        Assert.Equal(typeof(InvalidDataException).FullName, remote.RemoteTypeName);
        Assert.Equal("bad value 2", remote.RemoteMessage);
        Assert.Equal(pid, remote.ProcessId);
        Assert.Equal(pid, pool.Submit(WorkerPid, 0).GetResult(Safety));
        Assert.Equal(2, pool.LaneTasks - before);
        AssertGoneAfterDispose(pool, [pid]);
    }

    [Theory]
    [InlineData(StepAction.KillWithSigkill, true)]
    [InlineData(StepAction.KillWithSigkill, false)]
    [InlineData(StepAction.FailFast, true)]
    [InlineData(StepAction.OverflowStack, false)]
    public async Task A_worker_that_dies_holding_a_lent_task_fails_exactly_that_task(StepAction death, bool callerWaits)
    {
        string log = Log("death");
        using var pool = new ProcessPool(workers: 1);
        int pid = Warm(pool);
        long before = pool.LaneTasks;

        PoolTask<int> doomed = pool.Submit(Step, new Probe(log, 5, Action: death));
        Exception error = callerWaits
            ? Assert.Throws<WorkerCrashedException>(() => doomed.Result)
            : await Assert.ThrowsAsync<WorkerCrashedException>(() => doomed.AsTask());

        var crash = Assert.IsType<WorkerCrashedException>(error);
        Assert.Equal(0, crash.InputIndex);
        Assert.Equal(pid, crash.WorkerProcessId);
        Assert.StartsWith("ProcessPool-", crash.WorkerName, StringComparison.Ordinal);
        Assert.Contains("input index 0", crash.Message, StringComparison.Ordinal);
        Assert.Equal(1, pool.LaneTasks - before);
        Assert.False(ProcessTree.IsRunning(pid));

        int replacement = pool.Submit(WorkerPid, 0).GetResult(Safety);
        Assert.NotEqual(pid, replacement);
        Assert.Equal([1, 4, 9], pool.Map(Square, [1, 2, 3], timeout: Safety));
        Assert.Empty(ProcessLog.Lines(log));
        AssertGoneAfterDispose(pool, [pid, replacement]);
    }

    [Fact]
    public void A_lent_task_whose_worker_dies_runs_again_when_retries_are_asked_for()
    {
        string marker = Path.Combine(Folder, "killed-once");
        using var pool = new ProcessPool(workers: 1, retries: 1);
        int pid = Warm(pool);
        long before = pool.LaneTasks;

        int ranIn = pool.Submit(KillOnce, marker).GetResult(Safety);

        Assert.Equal(pid, int.Parse(File.ReadAllText(marker)));
        Assert.NotEqual(pid, ranIn);
        Assert.Equal(1, pool.LaneTasks - before);
        AssertGoneAfterDispose(pool, [pid, ranIn]);
    }

    [Fact]
    public void Dispose_lets_a_lent_task_nobody_waited_for_finish()
    {
        string log = Log("dispose");
        var pool = new ProcessPool(workers: 1);
        int pid = Warm(pool);

        PoolTask<int> task = pool.Submit(Step, new Probe(log, 6, SleepMilliseconds: 200));
        pool.Dispose();

        Assert.True(task.IsCompleted);
        Assert.Equal(36, task.Result);
        Assert.Equal([$"6 {pid}"], ProcessLog.Lines(log));
        Assert.False(ProcessTree.IsRunning(pid), $"worker {pid} survived Dispose");
    }

    [Fact]
    public async Task Submits_from_several_threads_and_a_Map_at_the_same_time_lose_nothing()
    {
        using var pool = new ProcessPool(workers: 2);
        int pid = Warm(pool);

        // Callers that wait by spinning, by blocking past the spin, by awaiting, and by polling, with a Map of many
        // chunks in between: lends, queued chunks and both kinds of collection interleave.
        Task<int[]> map = Task.Run(() => pool.Map(Square, Enumerable.Range(0, 20_000), chunkSize: 50, timeout: Safety));
        Task<long>[] callers = [.. Enumerable.Range(0, 4).Select(caller => Task.Run(async () =>
        {
            long sum = 0;
            for (int i = 0; i < 300; i++)
            {
                PoolTask<int> task = pool.Submit(Square, i);
                sum += (caller, i % 3) switch
                {
                    (0, _) => task.Result,
                    (1, _) => await task,
                    (2, 0) => SpinWait.SpinUntil(() => task.IsCompleted, Safety) ? task.Result : -1,
                    _ => task.GetResult(Safety),
                };
            }

            return sum;
        }))];

        long expected = Enumerable.Range(0, 300).Sum(i => (long)i * i);
        Assert.All(await Task.WhenAll(callers).WaitAsync(Safety), sum => Assert.Equal(expected, sum));
        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => i * i), await map.WaitAsync(Safety));
        Assert.True(pool.LaneTasks > 0);
        AssertGoneAfterDispose(pool, [pid]);
    }

    /// <summary>Starts the workers and waits until one has mapped its lane: a task then goes through it.</summary>
    private static int Warm(ProcessPool pool)
    {
        long lent = pool.LaneTasks;
        int pid = 0;
        Assert.True(SpinWait.SpinUntil(
            () =>
            {
                pid = pool.Submit(WorkerPid, 0).GetResult(Safety);
                return pool.LaneTasks > lent;
            },
            Safety));
        return pid;
    }

    private static void BusyWait(TimeSpan time)
    {
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < time)
        {
            Thread.SpinWait(20);
        }
    }
}
