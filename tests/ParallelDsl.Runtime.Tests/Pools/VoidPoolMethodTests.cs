using System.Collections.Concurrent;
using ParallelDsl;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>A line to log from a worker: where, and what.</summary>
public sealed record LogLine(string Log, int Value);

/// <summary>A void <c>[RunInProcess]</c> method for the pools, as Python's tutorials map a function that only prints.</summary>
public static partial class VoidPoolMethods
{
    [RunInProcess]
    public static void Record(LogLine line)
    {
        if (line.Value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(line), $"negative value {line.Value}");
        }

        ProcessLog.Append(line.Log, $"{line.Value} {Environment.ProcessId}");
    }
}

/// <summary>Pools run methods and actions that return nothing: the call completes when every item has run.</summary>
public sealed class VoidPoolMethodTests : WorkerProcessTest
{
    [Fact]
    public async Task A_void_process_method_maps_over_every_item_in_worker_processes()
    {
        string log = Log("void-map");
        using var pool = new ProcessPool(workers: 2);

        pool.Map(VoidPoolMethods.Record, Enumerable.Range(0, 20).Select(i => new LogLine(log, i)), chunkSize: 3, timeout: Safety);
        await pool.MapAsync(VoidPoolMethods.Record, [new LogLine(log, 100)], timeout: Safety);
        PoolTask<object?> submitted = pool.Submit(VoidPoolMethods.Record, new LogLine(log, 200));
        Assert.True(submitted.Wait(Safety));

        Assert.Null(submitted.Result);
        Assert.Equal([.. Enumerable.Range(0, 20), 100, 200], LoggedValues(log).Order());
        Assert.DoesNotContain(Environment.ProcessId, LoggedPids(log));
        AssertGoneAfterDispose(pool, LoggedPids(log));
    }

    [Fact]
    public void A_failing_item_of_a_void_map_fails_alone_and_the_others_still_run()
    {
        string log = Log("void-failure");
        using var pool = new ProcessPool(workers: 2);

        var failure = Assert.Throws<AggregateException>(() =>
            pool.Map(VoidPoolMethods.Record, [new LogLine(log, 1), new LogLine(log, -2), new LogLine(log, 3)], chunkSize: 1, timeout: Safety));

        PoolTaskException failed = Assert.IsType<PoolTaskException>(Assert.Single(failure.InnerExceptions));
        Assert.Contains("negative value -2", failed.ToString(), StringComparison.Ordinal);
        Assert.Equal([1, 3], LoggedValues(log).Order());
    }

    [Fact]
    public async Task The_thread_pool_runs_actions_submitted_and_mapped()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 3);
        var seen = new ConcurrentBag<int>();

        PoolTask<object?> one = pool.Submit(() => seen.Add(-1));
        PoolTask<object?> awaited = pool.Submit(async () =>
        {
            await Task.Yield();
            seen.Add(-2);
        });
        pool.Map(seen.Add, Enumerable.Range(0, 50), timeout: Safety);
        await pool.MapAsync(item => seen.Add(item + 100), [1, 2], timeout: Safety);
        pool.StarMap((int a, int b) => seen.Add(a * b), [(3, 1000)], timeout: Safety);

        Assert.True(one.Wait(Safety));
        Assert.Null(await awaited);
        Assert.Equal([-2, -1, .. Enumerable.Range(0, 50), 101, 102, 3000], seen.Order());
    }

    [Fact]
    public void A_failing_action_fails_its_task_with_the_exception()
    {
        using var pool = new ThreadPoolExecutor(maxWorkers: 1);

        PoolTask<object?> failing = pool.Submit(() => throw new InvalidOperationException("the action failed"));

        Assert.True(failing.Wait(Safety));
        Assert.Contains("the action failed", failing.Exception!.ToString(), StringComparison.Ordinal);
    }
}
