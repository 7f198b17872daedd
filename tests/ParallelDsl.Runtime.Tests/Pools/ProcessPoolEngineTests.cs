using ParallelDsl;
using static ParallelDsl.Runtime.Tests.Pools.TestProcessMethods;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// The process pool's engine (scheduling, crash recovery, recycling, initializer) over in-process test workers that
/// can die like processes. Real worker processes are tested with the process runtime.
/// </summary>
public sealed class ProcessPoolEngineTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);
    private static int s_pools;

    [Fact]
    public void Map_keeps_input_order_under_random_task_durations()
    {
        using var fixture = new PoolFixture(workers: 4);
        long run = NewRun();
        var random = new Random(7);
        Job[] jobs = Jobs(run, 200, value => new Job(run, value, Behaviour.Sleep, random.Next(0, 4)));

        int[] squares = fixture.Pool.Map(Work, jobs, chunkSize: 3, timeout: Safety);

        Assert.Equal(Enumerable.Range(0, 200).Select(value => value * value), squares);
    }

    [Fact]
    public void MapUnordered_returns_every_result_exactly_once()
    {
        using var fixture = new PoolFixture(workers: 3);
        long run = NewRun();
        var random = new Random(11);
        Job[] jobs = Jobs(run, 300, value => new Job(run, value, Behaviour.Sleep, random.Next(0, 3)));

        List<int> squares = [.. fixture.Pool.MapUnordered(Work, jobs, chunkSize: 1, timeout: Safety)];

        Assert.Equal(Enumerable.Range(0, 300).Select(value => value * value), squares.Order());
    }

    [Fact]
    public void A_worker_that_crashes_fails_exactly_its_task_and_the_pool_goes_on()
    {
        using var fixture = new PoolFixture(workers: 3);
        long run = NewRun();
        Job[] jobs = Jobs(run, 100, value => new Job(run, value, value == 37 ? Behaviour.Crash : Behaviour.Return));

        var failure = Assert.Throws<AggregateException>(() => fixture.Pool.Map(Work, jobs, chunkSize: 4, timeout: Safety));

        PoolTaskException only = Assert.IsType<PoolTaskException>(Assert.Single(failure.InnerExceptions));
        Assert.Equal(37, only.InputIndex);
        WorkerCrashedException crash = Assert.IsType<WorkerCrashedException>(only.InnerException);
        Assert.Equal(37, crash.InputIndex);
        FakeProcess dead = Assert.Single(fixture.Factory.Workers, worker => worker.Name == crash.WorkerName);
        Assert.Equal(dead.ProcessId, crash.WorkerProcessId);
        Assert.Contains(crash.WorkerName, crash.Message, StringComparison.Ordinal);
        Assert.Contains("input index 37", crash.Message, StringComparison.Ordinal);
        Assert.All(Enumerable.Range(0, 100).Where(value => value != 37), value => Assert.Equal(1, Completions(run, value)));
        Assert.Equal(1, Attempts(run, 37));

        // A replacement takes the dead worker's place, and the pool keeps working.
        Assert.True(SpinWait.SpinUntil(() => fixture.Factory.Workers.Count == 4, Safety), "The dead worker was not replaced.");
        long after = NewRun();
        Assert.Equal(Enumerable.Range(0, 50).Select(value => value * value), fixture.Pool.Map(Work, Jobs(after, 50), timeout: Safety));
    }

    [Fact]
    public void Futures_of_a_crash_show_every_other_result()
    {
        using var fixture = new PoolFixture(workers: 2);
        long run = NewRun();
        PoolTask<int>[] futures = [.. Jobs(run, 20, value => new Job(run, value, value == 5 ? Behaviour.Crash : Behaviour.Return))
            .Select(job => fixture.Pool.Submit(Work, job))];

        List<PoolTask<int>> ended = [.. PoolTask.AsCompleted(futures, Safety)];

        Assert.Equal(20, ended.Distinct().Count());
        Assert.IsType<WorkerCrashedException>(futures[5].Exception);
        Assert.Equal(
            Enumerable.Range(0, 20).Where(value => value != 5).Select(value => value * value),
            futures.Where((_, value) => value != 5).Select(future => future.Result));
    }

    [Fact]
    public void A_worker_killed_from_outside_mid_task_fails_that_task_only()
    {
        using var fixture = new PoolFixture(workers: 2);
        long run = NewRun();
        PoolTask<int> blocked = fixture.Pool.Submit(Work, new Job(run, 9, Behaviour.Block));
        SpinWait.SpinUntil(() => Attempts(run, 9) == 1, Safety);
        FakeProcess holder = Assert.Single(fixture.Factory.Workers, worker => worker.Started.Contains(9));
        int[] others = fixture.Pool.Map(Work, Jobs(NewRun(), 30), timeout: Safety);

        holder.Kill();

        var crash = Assert.Throws<WorkerCrashedException>(() => blocked.GetResult(Safety));
        Assert.Equal(holder.Name, crash.WorkerName);
        Assert.Equal(Enumerable.Range(0, 30).Select(value => value * value), others);
        Assert.Equal(Enumerable.Range(0, 30).Select(value => value * value), fixture.Pool.Map(Work, Jobs(NewRun(), 30), timeout: Safety));
        Release(run);
    }

    [Fact]
    public void Retries_run_the_task_of_a_dead_worker_again_on_another_worker()
    {
        using var fixture = new PoolFixture(workers: 2, retries: 1);
        long run = NewRun();
        Job[] jobs = Jobs(run, 40, value => new Job(run, value, value == 13 ? Behaviour.CrashOnFirstAttempt : Behaviour.Return));

        int[] squares = fixture.Pool.Map(Work, jobs, chunkSize: 5, timeout: Safety);

        Assert.Equal(Enumerable.Range(0, 40).Select(value => value * value), squares);
        Assert.Equal(2, Attempts(run, 13));
        Assert.All(Enumerable.Range(0, 40), value => Assert.Equal(1, Completions(run, value)));
    }

    [Fact]
    public void A_task_that_kills_every_worker_fails_once_its_retries_are_spent()
    {
        using var fixture = new PoolFixture(workers: 2, retries: 2);
        long run = NewRun();

        PoolTask<int> doomed = fixture.Pool.Submit(Work, new Job(run, 3, Behaviour.Crash));

        var crash = Assert.Throws<WorkerCrashedException>(() => doomed.GetResult(Safety));
        Assert.Equal(3, crash.Attempts);
        Assert.Equal(3, Attempts(run, 3));
    }

    [Fact]
    public void Task_exceptions_are_per_task_and_Map_aggregates_them_in_input_order()
    {
        using var fixture = new PoolFixture(workers: 3);
        long run = NewRun();
        Job[] jobs = Jobs(run, 50, value => new Job(run, value, value % 10 == 4 ? Behaviour.Throw : Behaviour.Return));

        var failure = Assert.Throws<AggregateException>(() => fixture.Pool.Map(Work, jobs, timeout: Safety));

        Assert.Equal([4, 14, 24, 34, 44], failure.InnerExceptions.Cast<PoolTaskException>().Select(error => error.InputIndex));
        Assert.All(failure.InnerExceptions, error => Assert.IsType<InvalidDataException>(error.InnerException));
        Assert.Equal(50 - 5, Enumerable.Range(0, 50).Count(value => Completions(run, value) == 1));

        // An exception is not a crash: no worker was replaced.
        Assert.InRange(fixture.Factory.Workers.Count, 1, 3);
        Assert.All(fixture.Factory.Workers, worker => Assert.True(worker.IsAlive));
    }

    [Fact]
    public void A_result_that_cannot_be_decoded_fails_that_task_only()
    {
        using var fixture = new PoolFixture(workers: 2);

        var failure = Assert.Throws<AggregateException>(() => fixture.Pool.Map(WorkWithFussyDecoder, Jobs(NewRun(), 10), timeout: Safety));

        PoolTaskException only = Assert.IsType<PoolTaskException>(Assert.Single(failure.InnerExceptions));
        Assert.Equal(7, only.InputIndex);
        var decoding = Assert.IsType<InvalidDataException>(only.InnerException);
        Assert.Contains("input index 7", decoding.Message, StringComparison.Ordinal);
        Assert.IsType<FormatException>(decoding.InnerException);
        Assert.All(fixture.Factory.Workers, worker => Assert.True(worker.IsAlive));
    }

    [Fact]
    public void MaxTasksPerWorker_recycles_workers()
    {
        using var fixture = new PoolFixture(workers: 2, maxTasksPerWorker: 5);
        long run = NewRun();

        int[] squares = fixture.Pool.Map(Work, Jobs(run, 42), chunkSize: 4, timeout: Safety);

        Assert.Equal(Enumerable.Range(0, 42).Select(value => value * value), squares);
        Assert.All(fixture.Factory.Workers, worker => Assert.InRange(worker.TasksRun, 0, 5));
        Assert.True(fixture.Factory.Workers.Count >= 9, $"{fixture.Factory.Workers.Count} workers ran 42 tasks at 5 per worker.");
    }

    [Fact]
    public void The_initializer_runs_once_in_every_worker_before_its_tasks()
    {
        var fixture = new PoolFixture(workers: 3, maxTasksPerWorker: 10, initializer: Init);
        using (fixture)
        {
            Assert.Equal(Enumerable.Range(0, 60).Select(value => value * value), fixture.Pool.Map(Work, Jobs(NewRun(), 60), chunkSize: 2, timeout: Safety));
        }

        Assert.True(fixture.Factory.Workers.Count >= 6);
        Assert.All(fixture.Factory.Workers, worker => Assert.Equal(1, worker.InitializerRuns));
    }

    [Fact]
    public void A_failing_initializer_breaks_the_pool_with_a_clear_error()
    {
        using var fixture = new PoolFixture(workers: 2, initializer: InitFails);

        var broken = Assert.Throws<BrokenPoolException>(() => fixture.Pool.Map(Work, Jobs(NewRun(), 10), timeout: Safety));

        Assert.Contains("initializer", broken.Message, StringComparison.Ordinal);
        Assert.Contains("no database", broken.Message, StringComparison.Ordinal);
        Assert.Throws<BrokenPoolException>(() => fixture.Pool.Submit(Work, new Job(NewRun(), 1)));
    }

    [Fact]
    public void Workers_that_cannot_start_break_the_pool_instead_of_hanging()
    {
        using var fixture = new PoolFixture(workers: 2, startFailure: new FileNotFoundException("worker program not found"));

        var broken = Assert.Throws<BrokenPoolException>(() => fixture.Pool.Map(Work, Jobs(NewRun(), 10), timeout: Safety));

        Assert.IsType<FileNotFoundException>(broken.InnerException);
    }

    [Fact]
    public void Workers_that_exit_as_soon_as_they_start_break_the_pool_instead_of_looping()
    {
        using var fixture = new PoolFixture(workers: 2, dieOnStart: true);

        var broken = Assert.Throws<BrokenPoolException>(() => fixture.Pool.Map(Work, Jobs(NewRun(), 10), timeout: Safety));

        Assert.Contains("keep exiting", broken.Message, StringComparison.Ordinal);
        Assert.InRange(fixture.Factory.Workers.Count, 3, 6);
    }

    [Fact]
    public void An_empty_map_returns_an_empty_array()
    {
        using var fixture = new PoolFixture(workers: 2);

        Assert.Empty(fixture.Pool.Map(Work, [], timeout: Safety));
        Assert.Empty(fixture.Pool.MapUnordered(Work, [], timeout: Safety));
    }

    [Fact]
    public void A_task_past_its_timeout_fails_and_its_worker_is_replaced()
    {
        using var fixture = new PoolFixture(workers: 2, taskTimeout: TimeSpan.FromMilliseconds(300));
        long run = NewRun();
        Job[] jobs = Jobs(run, 12, value => new Job(run, value, value == 6 ? Behaviour.Block : Behaviour.Return));

        var failure = Assert.Throws<AggregateException>(() => fixture.Pool.Map(Work, jobs, chunkSize: 1, timeout: Safety));

        PoolTaskException only = Assert.IsType<PoolTaskException>(Assert.Single(failure.InnerExceptions));
        Assert.Equal(6, only.InputIndex);
        Assert.IsType<TimeoutException>(only.InnerException);
        Assert.True(SpinWait.SpinUntil(() => fixture.Factory.Workers.Count == 3, Safety), "The stopped worker was not replaced.");
        Release(run);
    }

    [Fact]
    public void Hundred_thousand_tiny_tasks_lose_and_duplicate_nothing()
    {
        using var fixture = new PoolFixture(workers: 4);
        long run = NewRun();

        int[] squares = fixture.Pool.Map(Work, Jobs(run, 100_000), timeout: Safety);

        Assert.Equal(Enumerable.Range(0, 100_000).Select(value => value * value), squares);
        Assert.All(Enumerable.Range(0, 100_000), value => Assert.Equal(1, Completions(run, value)));
    }

    [Fact]
    public void Cancellation_stops_dispatch_and_no_worker_is_left_after_Dispose()
    {
        var fixture = new PoolFixture(workers: 2);
        long run = NewRun();
        using var cancellation = new CancellationTokenSource();
        Job[] jobs = Jobs(run, 400, value => new Job(run, value, Behaviour.Sleep, 2));
        using (fixture)
        {
            Task<int[]> map = fixture.Pool.MapAsync(Work, jobs, chunkSize: 1, cancellationToken: cancellation.Token);
            SpinWait.SpinUntil(() => Started(run) >= 10, Safety);

            cancellation.Cancel();
            int startedAtCancel = Started(run);

            Assert.ThrowsAny<OperationCanceledException>(() => map.GetAwaiter().GetResult());
            Thread.Sleep(50);

            // Only tasks already handed to a worker may start afterwards: two in flight per worker, two workers.
            Assert.InRange(Started(run), startedAtCancel, startedAtCancel + 4);
        }

        Assert.True(Started(run) < 400);
        Assert.All(fixture.Factory.Workers, worker => Assert.False(worker.IsAlive, $"{worker.Name} is still alive."));
    }

    [Fact]
    public void A_worker_that_dies_while_idle_is_replaced_without_failing_a_task()
    {
        using var fixture = new PoolFixture(workers: 2);
        Assert.Equal([0, 1, 4], fixture.Pool.Map(Work, Jobs(NewRun(), 3), timeout: Safety));
        SpinWait.SpinUntil(() => fixture.Factory.Workers.Count == 2, Safety);

        fixture.Factory.Workers[0].Kill();

        Assert.Equal(Enumerable.Range(0, 30).Select(value => value * value), fixture.Pool.Map(Work, Jobs(NewRun(), 30), timeout: Safety));
        Assert.True(SpinWait.SpinUntil(() => fixture.Factory.Workers.Count == 3, Safety));
        Assert.Equal(3, fixture.Factory.Workers.Count(worker => worker.IsAlive) + 1);
    }

    [Fact]
    public async Task StarMap_MapAsync_and_MapUnorderedAsync_run_through_descriptors()
    {
        await using var fixture = new PoolFixture(workers: 2);
        var reports = new System.Collections.Concurrent.ConcurrentQueue<PoolProgress>();

        int[] sums = fixture.Pool.StarMap(Add, [(1, 2), (3, 4), (5, 6)], timeout: Safety);
        int[] squares = await fixture.Pool.MapAsync(Work, Jobs(NewRun(), 20), progress: new SynchronousProgress(reports.Enqueue), timeout: Safety);
        var unordered = new List<int>();
        await foreach (int square in fixture.Pool.MapUnorderedAsync(Work, Jobs(NewRun(), 20), chunkSize: 1, timeout: Safety))
        {
            unordered.Add(square);
        }

        Assert.Equal([3, 7, 11], sums);
        Assert.Equal(Enumerable.Range(0, 20).Select(value => value * value), squares);
        Assert.Equal(squares, unordered.Order());
        Assert.Contains(new PoolProgress(20, 20), reports);
    }

    [Fact]
    public async Task A_map_past_its_timeout_throws_and_runs_nothing_more()
    {
        await using var fixture = new PoolFixture(workers: 1);
        long run = NewRun();
        Job[] jobs = Jobs(run, 10, value => new Job(run, value, value == 0 ? Behaviour.Block : Behaviour.Return));

        await Assert.ThrowsAsync<TimeoutException>(() => fixture.Pool.MapAsync(Work, jobs, chunkSize: 1, timeout: TimeSpan.FromMilliseconds(100)));
        Release(run);
        fixture.Pool.Close();
        await fixture.Pool.JoinAsync().WaitAsync(Safety);

        Assert.All(Enumerable.Range(1, 9), value => Assert.Equal(0, Attempts(run, value)));
    }

    [Fact]
    public void Terminate_kills_the_workers_and_cancels_their_tasks()
    {
        using var fixture = new PoolFixture(workers: 2);
        long run = NewRun();
        PoolTask<int> running = fixture.Pool.Submit(Work, new Job(run, 1, Behaviour.Block));
        SpinWait.SpinUntil(() => Attempts(run, 1) == 1, Safety);

        fixture.Pool.Terminate();

        Assert.True(fixture.Pool.Join(Safety));
        Assert.True(running.IsCancelled);
        Assert.All(fixture.Factory.Workers, worker => Assert.False(worker.IsAlive));
        Assert.Throws<InvalidOperationException>(() => fixture.Pool.Submit(Work, new Job(run, 2)));
        Release(run);
    }

    [Fact]
    public void Dispose_runs_every_submitted_task_first()
    {
        long run = NewRun();
        PoolTask<int>[] futures;
        using (var fixture = new PoolFixture(workers: 2))
        {
            futures = [.. Jobs(run, 40, value => new Job(run, value, Behaviour.Sleep, 2)).Select(job => fixture.Pool.Submit(Work, job))];
        }

        Assert.All(Enumerable.Range(0, 40), value => Assert.Equal(1, Completions(run, value)));
        Assert.Equal(Enumerable.Range(0, 40).Select(value => value * value), futures.Select(future => future.Result));
    }

    [Fact]
    public void A_worker_that_dies_while_Dispose_drains_is_replaced_and_the_rest_still_run()
    {
        long run = NewRun();
        PoolTask<int>[] futures;
        var fixture = new PoolFixture(workers: 2);
        using (fixture)
        {
            futures = [.. Jobs(run, 30, value => new Job(run, value, value == 10 ? Behaviour.Crash : Behaviour.Sleep, 1))
                .Select(job => fixture.Pool.Submit(Work, job))];
        }

        Assert.IsType<WorkerCrashedException>(futures[10].Exception);
        Assert.All(Enumerable.Range(0, 30).Where(value => value != 10), value => Assert.Equal(value * value, futures[value].Result));
        Assert.True(fixture.Factory.Workers.Count >= 3, "The worker that died during the drain was not replaced.");
    }

    [Fact]
    public async Task Shutdown_with_cancelPending_cancels_what_is_queued_and_lets_the_running_task_finish()
    {
        await using var fixture = new PoolFixture(workers: 1);
        long run = NewRun();
        PoolTask<int> running = fixture.Pool.Submit(Work, new Job(run, 1, Behaviour.Block));
        PoolTask<int>[] queued = [.. Enumerable.Range(2, 5).Select(value => fixture.Pool.Submit(Work, new Job(run, value)))];
        SpinWait.SpinUntil(() => Attempts(run, 1) == 1, Safety);

        Task shutdown = fixture.Pool.ShutdownAsync(cancelPending: true);
        Assert.True(SpinWait.SpinUntil(() => queued.All(task => task.IsCompleted), Safety));
        Assert.False(shutdown.IsCompleted);
        Release(run);

        await shutdown.WaitAsync(Safety);
        Assert.Equal(1, running.Result);
        Assert.All(queued, task => Assert.True(task.IsCancelled));
        Assert.All(Enumerable.Range(2, 5), value => Assert.Equal(0, Attempts(run, value)));
    }

    [Fact]
    public void Method_groups_not_bound_by_the_generator_fail_with_the_fix()
    {
        using var fixture = new PoolFixture(workers: 1);

        // PDSL0010 reports both calls at compile time; this test proves the run-time error for code built without it.
#pragma warning disable PDSL0010
        var unbound = Assert.Throws<InvalidOperationException>(() => fixture.Pool.Map(Square, [1, 2, 3]));
        var lambda = Assert.Throws<InvalidOperationException>(() => fixture.Pool.Map((int n) => n + 1, [1, 2, 3]));
        var asynchronous = Assert.Throws<InvalidOperationException>(() => fixture.Pool.Map(SquareAsync, [1, 2, 3]));
#pragma warning restore PDSL0010

        Assert.Contains("'ProcessPoolEngineTests.Square'", unbound.Message, StringComparison.Ordinal);
        Assert.Contains("[RunInProcess]", unbound.Message, StringComparison.Ordinal);
        Assert.Contains("a lambda", lambda.Message, StringComparison.Ordinal);
        Assert.Contains("ThreadPoolExecutor", lambda.Message, StringComparison.Ordinal);
        Assert.Contains("'ProcessPoolEngineTests.SquareAsync', which returns a task", asynchronous.Message, StringComparison.Ordinal);
        Assert.Contains("make the method synchronous", asynchronous.Message, StringComparison.Ordinal);
    }

    private static int Square(int n) => n * n;

    private static Task<int> SquareAsync(int n) => Task.FromResult(n * n);

    private static int Started(long run) => Enumerable.Range(0, 400).Count(value => Attempts(run, value) > 0);

    /// <summary>A pool over fake workers; disposing it asserts that no worker survived.</summary>
    private sealed class PoolFixture : IDisposable, IAsyncDisposable
    {
        public PoolFixture(int workers, int maxTasksPerWorker = 0, ProcessAction? initializer = null, int retries = 0, TimeSpan? taskTimeout = null, Exception? startFailure = null, bool dieOnStart = false)
        {
            FakeWorkerFactory? factory = null;
            Pool = new ProcessPool(
                $"TestPool-{Interlocked.Increment(ref s_pools)}",
                name => factory = new FakeWorkerFactory(name) { StartFailure = startFailure, DieOnStart = dieOnStart },
                workers,
                maxTasksPerWorker,
                initializer,
                retries,
                taskTimeout);
            Factory = factory!;
        }

        public ProcessPool Pool { get; }

        public FakeWorkerFactory Factory { get; }

        public void Dispose()
        {
            Pool.Dispose();
            AssertNoWorkerLeft();
        }

        public async ValueTask DisposeAsync()
        {
            await Pool.DisposeAsync();
            AssertNoWorkerLeft();
        }

        private void AssertNoWorkerLeft() =>
            Assert.All(Factory.Workers, worker => Assert.False(worker.IsAlive, $"{worker.Name} survived Dispose."));
    }
}
