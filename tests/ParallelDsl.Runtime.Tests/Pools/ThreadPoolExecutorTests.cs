using System.Collections.Concurrent;
using ParallelDsl;

namespace ParallelDsl.Runtime.Tests.Pools;

public sealed class ThreadPoolExecutorTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    [Fact]
    public void Map_keeps_input_order_under_random_task_durations()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 4);
        int[] delays = [.. Enumerable.Range(0, 200).Select(i => (i * 7919) % 5)];

        int[] results = pool.Map(i => { Thread.Sleep(delays[i]); return i * 3; }, Enumerable.Range(0, 200), chunkSize: 1, timeout: Safety);

        Assert.Equal(Enumerable.Range(0, 200).Select(i => i * 3), results);
    }

    [Fact]
    public void MapUnordered_returns_every_result_exactly_once()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 4);
        var random = new Random(3);
        int[] delays = [.. Enumerable.Range(0, 300).Select(_ => random.Next(0, 3))];

        List<int> results = [.. pool.MapUnordered(i => { Thread.Sleep(delays[i]); return i; }, Enumerable.Range(0, 300), chunkSize: 1, timeout: Safety)];

        Assert.Equal(Enumerable.Range(0, 300), results.Order());
    }

    [Fact]
    public async Task MapUnorderedAsync_yields_results_as_they_end()
    {
        await using var pool = new ThreadPoolExecutor(maxWorkers: 2);
        using var slow = new ManualResetEventSlim();
        var results = new List<int>();

        await foreach (int value in pool.MapUnorderedAsync(i => { if (i == 0) { slow.Wait(Safety); } return i; }, [0, 1, 2, 3], chunkSize: 1, timeout: Safety))
        {
            results.Add(value);
            if (results.Count == 3)
            {
                slow.Set();
            }
        }

        Assert.Equal([1, 2, 3, 0], results);
    }

    [Fact]
    public void Leaving_MapUnordered_early_cancels_the_tasks_not_started()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 1);
        using var gate = new ManualResetEventSlim();
        int ran = 0;

        int first = pool.MapUnordered(
            i =>
            {
                Interlocked.Increment(ref ran);
                if (i > 0)
                {
                    gate.Wait(Safety);
                }

                return i;
            },
            Enumerable.Range(0, 500),
            chunkSize: 1).First();
        gate.Set();
        pool.Shutdown(wait: true);

        // The one worker may have started the second task before the enumeration stopped; nothing after it.
        Assert.Equal(0, first);
        Assert.InRange(ran, 1, 2);
    }

    [Fact]
    public void Hundred_thousand_tiny_tasks_lose_and_duplicate_nothing()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 4);
        int[] runs = new int[100_000];

        int[] ordered = pool.Map(i => { Interlocked.Increment(ref runs[i]); return i + 1; }, Enumerable.Range(0, 100_000), timeout: Safety);
        List<int> unordered = [.. pool.MapUnordered(i => { Interlocked.Increment(ref runs[i]); return i; }, Enumerable.Range(0, 100_000), timeout: Safety)];

        Assert.Equal(Enumerable.Range(1, 100_000), ordered);
        Assert.Equal(Enumerable.Range(0, 100_000), unordered.Order());
        Assert.All(runs, count => Assert.Equal(2, count));
    }

    [Fact]
    public void At_most_maxWorkers_tasks_run_at_once()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 3);
        using var allThreeRunning = new CountdownEvent(3);
        int running = 0;
        int peak = 0;

        pool.Map(
            i =>
            {
                int now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                if (i < 3)
                {
                    // The first three tasks meet: proof that three run at once, whatever the machine's load.
                    allThreeRunning.Signal();
                    allThreeRunning.Wait(Safety);
                }

                Thread.Sleep(1);
                Interlocked.Decrement(ref running);
                return i;
            },
            Enumerable.Range(0, 60),
            chunkSize: 1,
            timeout: Safety);

        Assert.Equal(3, peak);
    }

    [Fact]
    public void Cancellation_stops_dispatch()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 2);
        using var cancellation = new CancellationTokenSource();
        int started = 0;
        int startedAtCancel = -1;

        Assert.ThrowsAny<OperationCanceledException>(() => pool.Map(
            i =>
            {
                if (Interlocked.Increment(ref started) == 10)
                {
                    cancellation.Cancel();
                    startedAtCancel = Volatile.Read(ref started);
                }

                Thread.Sleep(1);
                return i;
            },
            Enumerable.Range(0, 1000),
            chunkSize: 1,
            cancellationToken: cancellation.Token));
        pool.Shutdown(wait: true);

        Assert.InRange(started, 10, startedAtCancel + 1);
    }

    [Fact]
    public void A_failing_task_fails_alone_and_Map_aggregates_in_input_order()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 3);
        int[] runs = new int[50];

        var failure = Assert.Throws<AggregateException>(() => pool.Map(
            i =>
            {
                Interlocked.Increment(ref runs[i]);
                return i % 10 == 7 ? throw new ArgumentException($"bad {i}") : i;
            },
            Enumerable.Range(0, 50),
            timeout: Safety));

        Assert.Equal([7, 17, 27, 37, 47], failure.InnerExceptions.Cast<PoolTaskException>().Select(error => error.InputIndex));
        Assert.Equal("bad 17", failure.InnerExceptions[1].InnerException!.Message);
        Assert.All(runs, count => Assert.Equal(1, count));
    }

    [Fact]
    public void MapUnordered_throws_the_failed_task_with_its_index()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 2);

        var failure = Assert.Throws<PoolTaskException>(() => pool.MapUnordered(i => i == 5 ? throw new FormatException("five") : i, Enumerable.Range(0, 10), chunkSize: 1).ToList());

        Assert.Equal(5, failure.InputIndex);
        Assert.IsType<FormatException>(failure.InnerException);
    }

    [Fact]
    public void Submit_returns_a_future_with_result_exception_wait_and_await()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 2);
        using var gate = new ManualResetEventSlim();

        PoolTask<int> blocked = pool.Submit(() => { gate.Wait(Safety); return 42; });
        PoolTask<int> failing = pool.Submit(FailWithTimeZone);

        Assert.False(blocked.Wait(TimeSpan.FromMilliseconds(20)));
        Assert.Throws<TimeoutException>(() => blocked.GetResult(TimeSpan.FromMilliseconds(1)));
        gate.Set();
        Assert.Equal(42, blocked.Result);
        Assert.True(failing.Wait(Safety));
        Assert.IsType<InvalidTimeZoneException>(failing.Exception);
        var thrown = Assert.Throws<InvalidTimeZoneException>(() => failing.Result);
        Assert.Contains(nameof(FailWithTimeZone), thrown.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submitted_async_functions_are_awaited_and_see_their_cancellation()
    {
        await using var pool = new ThreadPoolExecutor(maxWorkers: 2);
        using var cancellation = new CancellationTokenSource();

        int awaited = await pool.Submit(async () => { await Task.Delay(1); return 7; });
        PoolTask<int> cancellable = pool.Submit(async token => { await Task.Delay(Timeout.Infinite, token); return 0; }, cancellation.Token);
        SpinWait.SpinUntil(() => cancellable.IsRunning, Safety);
        await cancellation.CancelAsync();

        Assert.Equal(7, awaited);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancellable.WaitAsync().WaitAsync(Safety));
    }

    [Fact]
    public void Cancel_succeeds_only_before_the_task_starts()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 1);
        using var gate = new ManualResetEventSlim();
        int queuedRan = 0;

        PoolTask<int> running = pool.Submit(() => { gate.Wait(Safety); return 1; });
        PoolTask<int> queued = pool.Submit(() => Interlocked.Increment(ref queuedRan));
        SpinWait.SpinUntil(() => running.IsRunning, Safety);

        Assert.False(running.Cancel());
        Assert.True(queued.Cancel());
        gate.Set();

        Assert.Equal(1, running.Result);
        Assert.True(queued.IsCancelled);
        Assert.Throws<TaskCanceledException>(() => queued.Result);
        pool.Shutdown(wait: true);
        Assert.Equal(0, queuedRan);
    }

    [Fact]
    public async Task AsCompleted_yields_each_future_once_in_completion_order()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 3);
        ManualResetEventSlim[] gates = [new(), new(), new()];
        PoolTask<int>[] futures = [.. Enumerable.Range(0, 3).Select(i => pool.Submit(() => { gates[i].Wait(Safety); return i; }))];
        var blocking = new List<int>();
        IEnumerable<PoolTask<int>> inCompletionOrder = PoolTask.AsCompleted(futures, Safety);

        foreach (int i in new[] { 2, 0, 1 })
        {
            gates[i].Set();
            futures[i].Wait(Safety);
        }

        foreach (PoolTask<int> future in inCompletionOrder)
        {
            blocking.Add(future.Result);
        }

        var awaited = new List<int>();
        PoolTask<int>[] more = [.. Enumerable.Range(0, 3).Select(i => pool.Submit(() => { Thread.Sleep(30 * (3 - i)); return i; }))];
        await foreach (PoolTask<int> future in PoolTask.AsCompletedAsync(more.Concat(more)))
        {
            awaited.Add(future.Result);
        }

        Assert.Equal([2, 0, 1], blocking);
        Assert.Equal([0, 1, 2], awaited.Order());
        foreach (ManualResetEventSlim gate in gates)
        {
            gate.Dispose();
        }
    }

    [Fact]
    public void AsCompleted_times_out_when_a_task_does_not_end()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 1);
        using var gate = new ManualResetEventSlim();
        PoolTask<int> stuck = pool.Submit(() => { gate.Wait(Safety); return 1; });

        Assert.Throws<TimeoutException>(() => PoolTask.AsCompleted([stuck], TimeSpan.FromMilliseconds(50)).ToList());
        gate.Set();
    }

    [Fact]
    public void The_initializer_runs_once_on_each_worker_thread_before_its_tasks()
    {
        var initialized = new ConcurrentBag<int>();
        var taskThreads = new ConcurrentBag<int>();
        var pool = new ThreadPoolExecutor(maxWorkers: 3, initializer: () => initialized.Add(Environment.CurrentManagedThreadId));
        using (pool)
        {
            pool.Map(i => { taskThreads.Add(Environment.CurrentManagedThreadId); Thread.Sleep(1); return i; }, Enumerable.Range(0, 90), chunkSize: 1, timeout: Safety);
        }

        Assert.Equal(3, initialized.Count);
        Assert.Equal(3, initialized.Distinct().Count());
        Assert.Subset(initialized.ToHashSet(), taskThreads.ToHashSet());
    }

    [Fact]
    public void A_failing_initializer_breaks_the_pool()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 2, initializer: () => throw new InvalidOperationException("no config"));

        var broken = Assert.Throws<BrokenPoolException>(() => pool.Map(i => i, Enumerable.Range(0, 5), timeout: Safety));

        Assert.Equal("no config", broken.InnerException!.Message);
    }

    [Fact]
    public void Progress_reports_completed_and_total()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 2);
        var reports = new ConcurrentQueue<PoolProgress>();

        pool.Map(i => i, Enumerable.Range(0, 50), chunkSize: 5, progress: new SynchronousProgress(reports.Enqueue));

        Assert.Equal(50, reports.Count);
        Assert.All(reports, report => Assert.Equal(50, report.Total));
        Assert.Equal(Enumerable.Range(1, 50), reports.Select(report => report.Completed).Order());
    }

    [Fact]
    public void Map_past_its_timeout_throws_and_cancels_the_rest()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 1);
        using var gate = new ManualResetEventSlim();
        int started = 0;

        Assert.Throws<TimeoutException>(() => pool.Map(i => { Interlocked.Increment(ref started); gate.Wait(Safety); return i; }, Enumerable.Range(0, 200), chunkSize: 1, timeout: TimeSpan.FromMilliseconds(100)));
        gate.Set();
        pool.Shutdown(wait: true);

        // Only the task the one worker held when time ran out may have started.
        Assert.InRange(started, 0, 1);
    }

    [Fact]
    public void StarMap_passes_each_tuple_as_the_arguments()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 2);

        Assert.Equal([3, 7, 11], pool.StarMap((int a, int b) => a + b, [(1, 2), (3, 4), (5, 6)]));
        Assert.Equal(["a1x", "b2y"], pool.StarMap((string s, int n, char c) => $"{s}{n}{c}", [("a", 1, 'x'), ("b", 2, 'y')]));
    }

    [Fact]
    public async Task MapAsync_returns_results_in_order()
    {
        await using var pool = new ThreadPoolExecutor(maxWorkers: 3);

        int[] results = await pool.MapAsync(i => i * i, Enumerable.Range(0, 1000), timeout: Safety);

        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i * i), results);
    }

    [Fact]
    public void Close_then_Join_runs_what_was_submitted_and_stops_the_threads()
    {
        var threads = new ConcurrentBag<Thread>();
        using var bothRunning = new CountdownEvent(2);
        var pool = new ThreadPoolExecutor(maxWorkers: 2, initializer: () => threads.Add(Thread.CurrentThread));

        // The first two tasks wait for each other, so both worker threads must start whatever the scheduling.
        PoolTask<int>[] futures = [.. Enumerable.Range(0, 20).Select(i => pool.Submit(() =>
        {
            if (i < 2)
            {
                bothRunning.Signal();
                bothRunning.Wait(Safety);
            }

            Thread.Sleep(1);
            return i;
        }))];

        Assert.Throws<InvalidOperationException>(() => pool.Join(Safety));
        pool.Close();

        Assert.True(pool.Join(Safety));
        Assert.Equal(Enumerable.Range(0, 20), futures.Select(future => future.Result));
        Assert.Throws<InvalidOperationException>(() => pool.Submit(() => 1));
        Assert.Equal(2, threads.Count);
        Assert.True(SpinWait.SpinUntil(() => threads.All(thread => !thread.IsAlive), Safety));
        pool.Dispose();
    }

    [Fact]
    public void Using_a_pool_runs_every_submitted_task_before_the_block_ends()
    {
        // The program a user writes from Python's `with ThreadPoolExecutor(3) as ex: ex.submit(...)`.
        var ran = new ConcurrentBag<int>();
        PoolTask<int>[] futures;
        using (var pool = new ThreadPoolExecutor(maxWorkers: 3))
        {
            futures = [.. Enumerable.Range(0, 50).Select(i => pool.Submit(() =>
            {
                Thread.Sleep(2);
                ran.Add(i);
                return i;
            }))];
        }

        Assert.Equal(Enumerable.Range(0, 50), ran.Order());
        Assert.Equal(Enumerable.Range(0, 50), futures.Select(future => future.Result));
    }

    [Fact]
    public async Task DisposeAsync_runs_every_submitted_task()
    {
        var ran = new ConcurrentBag<int>();
        await using (var pool = new ThreadPoolExecutor(maxWorkers: 2))
        {
            for (int i = 0; i < 20; i++)
            {
                int item = i;
                _ = pool.Submit(async token =>
                {
                    await Task.Delay(2, token);
                    ran.Add(item);
                    return item;
                });
            }
        }

        Assert.Equal(Enumerable.Range(0, 20), ran.Order());
    }

    [Fact]
    public async Task Shutdown_with_cancelPending_cancels_queued_tasks_and_waits_for_running_ones()
    {
        using var gate = new ManualResetEventSlim();
        var pool = new ThreadPoolExecutor(maxWorkers: 1);
        PoolTask<int> running = pool.Submit(() => { gate.Wait(Safety); return 1; });
        PoolTask<int> queued = pool.Submit(() => 2);
        SpinWait.SpinUntil(() => running.IsRunning, Safety);

        Task shutdown = Task.Run(() => pool.Shutdown(cancelPending: true));
        Assert.True(SpinWait.SpinUntil(() => queued.IsCompleted, Safety));
        Assert.False(shutdown.IsCompleted);
        gate.Set();

        await shutdown.WaitAsync(Safety);
        Assert.Equal(1, running.Result);
        Assert.True(queued.IsCancelled);
        pool.Dispose();
    }

    [Fact]
    public void Dispose_while_a_MapUnordered_is_enumerating_lets_the_enumeration_finish()
    {
        var pool = new ThreadPoolExecutor(maxWorkers: 2);
        var seen = new List<int>();
        foreach (int value in pool.MapUnordered(i => { Thread.Sleep(2); return i; }, Enumerable.Range(0, 30), chunkSize: 1, timeout: Safety))
        {
            if (seen.Count == 0)
            {
                pool.Dispose();
                Assert.Throws<InvalidOperationException>(() => pool.Submit(() => 0));
            }

            seen.Add(value);
        }

        Assert.Equal(Enumerable.Range(0, 30), seen.Order());
    }

    [Fact]
    public void A_task_that_disposes_its_own_pool_gets_an_error_instead_of_a_hang()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 1);

        PoolTask<int> selfDisposing = pool.Submit(() => { pool.Dispose(); return 0; });

        var error = Assert.Throws<InvalidOperationException>(() => selfDisposing.GetResult(Safety));
        Assert.Contains("for ever", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, pool.Submit(() => 5).GetResult(Safety));
    }

    [Fact]
    public void Terminate_cancels_what_has_not_started()
    {
        using var gate = new ManualResetEventSlim();
        using var pool = new ThreadPoolExecutor(maxWorkers: 1);
        PoolTask<int> running = pool.Submit(async token => { await Task.Delay(Timeout.Infinite, token); return 1; });
        PoolTask<int> queued = pool.Submit(() => 2);
        SpinWait.SpinUntil(() => running.IsRunning, Safety);

        pool.Terminate();

        Assert.True(pool.Join(Safety));
        Assert.True(queued.IsCancelled);
        Assert.ThrowsAny<OperationCanceledException>(() => running.Result);
    }

    private static int FailWithTimeZone() => throw new InvalidTimeZoneException("tz");

    private static void InterlockedMax(ref int target, int value)
    {
        int current = Volatile.Read(ref target);
        while (value > current)
        {
            int seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
