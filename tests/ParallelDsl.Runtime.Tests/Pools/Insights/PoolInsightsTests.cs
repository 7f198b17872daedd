using ParallelDsl;
using static ParallelDsl.Runtime.Tests.Pools.TestProcessMethods;

namespace ParallelDsl.Runtime.Tests.Pools.Insights;

/// <summary><see cref="ProcessPoolBase.Insights"/> over the engine with in-process test workers that die like processes.</summary>
public sealed class PoolInsightsTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);
    private static int s_pools;

    [Fact]
    public void A_map_with_failures_and_retries_is_counted_exactly()
    {
        FakeWorkerFactory? factory = null;
        using var pool = NewPool(name => factory = new FakeWorkerFactory(name), workers: 3, retries: 1);
        long run = NewRun();
        int[] throwing = [5, 50, 95];
        int[] crashingOnce = [20, 70];
        Job[] jobs = Jobs(run, 100, value => new Job(
            run,
            value,
            throwing.Contains(value) ? Behaviour.Throw : crashingOnce.Contains(value) ? Behaviour.CrashOnFirstAttempt : Behaviour.Return));

        var failure = Assert.Throws<AggregateException>(() => pool.Map(Work, jobs, chunkSize: 4, timeout: Safety));

        Assert.Equal(throwing, failure.InnerExceptions.Cast<PoolTaskException>().Select(error => error.InputIndex));
        Assert.True(SpinWait.SpinUntil(() => pool.Insights.WorkersStarted == 5, Safety), "The two dead workers were not replaced.");
        PoolInsights insights = pool.Insights;
        Assert.Equal(97, insights.TasksDone);
        Assert.Equal(3, insights.TasksFailed);
        Assert.Equal(2, insights.TasksRetried);
        Assert.Equal(2, insights.WorkersLost);
        Assert.Equal(3, insights.Workers.Count);
        Assert.Equal(97, insights.Workers.Sum(worker => worker.TasksDone));
        Assert.Equal(throwing, insights.RecentFailures.Select(recent => recent.InputIndex).Order());
        Assert.All(insights.RecentFailures, recent => Assert.Equal("Tests.Work(Job)", recent.Task));
        Assert.All(insights.Workers, worker => Assert.NotNull(worker.WorkerName));
        Assert.All(insights.Workers, worker => Assert.Equal(WorkerActivity.Idle, worker.Activity));
        Assert.True(insights.Running > TimeSpan.Zero, "No running time was counted.");
        Assert.True(insights.Uptime >= insights.Workers.Max(worker => worker.Starting + worker.Running), "A slot counted more time than the pool has lived.");

        // Each lost worker was replaced in its slot (both crashes may hit the same slot), and a slot says which went last.
        string[] dead = [.. factory!.Workers.Where(worker => !worker.IsAlive).Select(worker => worker.Name)];
        Assert.Equal(2, dead.Length);
        Assert.All(insights.Workers, worker => Assert.Equal(1 + worker.WorkersLost, worker.WorkersStarted));
        WorkerInsights[] replaced = [.. insights.Workers.Where(worker => worker.WasReplaced)];
        Assert.NotEmpty(replaced);
        Assert.All(replaced, worker => Assert.Contains(dead, name => worker.PreviousWorker == $"{name} (pid {factory.Workers.Single(w => w.Name == name).ProcessId}) died"));
    }

    [Fact]
    public void The_table_shows_every_worker_and_the_totals()
    {
        using var pool = NewPool(name => new FakeWorkerFactory(name), workers: 2, retries: 0);
        long run = NewRun();

        Assert.Throws<AggregateException>(() => pool.Map(Work, Jobs(run, 30, value => new Job(run, value, value == 7 ? Behaviour.Throw : Behaviour.Return)), timeout: Safety));

        PoolInsights insights = pool.Insights;
        string[] lines = insights.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"{pool.Name}: 2 workers, up ", lines[0], StringComparison.Ordinal);
        Assert.Contains("done", lines[1], StringComparison.Ordinal);
        Assert.Contains("encoding", lines[1], StringComparison.Ordinal);
        Assert.All(insights.Workers, worker => Assert.Contains(lines, line => line.StartsWith(worker.WorkerName!, StringComparison.Ordinal)));
        string[] total = lines.Single(line => line.StartsWith("total", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["total", "29", "1", "0", "0"], total[..5]);
    }

    [Fact]
    public void A_worker_killed_while_it_runs_a_task_shows_the_task_then_shows_as_replaced()
    {
        FakeWorkerFactory? factory = null;
        using var pool = NewPool(name => factory = new FakeWorkerFactory(name), workers: 2, retries: 0);
        long run = NewRun();
        PoolTask<int> blocked = pool.Submit(Work, new Job(run, 9, Behaviour.Block));
        Assert.True(SpinWait.SpinUntil(() => Attempts(run, 9) == 1, Safety));
        FakeProcess holder = Assert.Single(factory!.Workers, worker => worker.Started.Contains(9));

        WorkerInsights busy = Assert.Single(pool.Insights.Workers, worker => worker.WorkerName == holder.Name);
        Assert.Equal(WorkerActivity.Running, busy.Activity);
        Assert.Equal("Tests.Work(Job)", busy.RunningTask);
        Assert.Equal(0, busy.RunningInputIndex);
        Assert.Equal(holder.ProcessId, busy.ProcessId);
        Assert.False(busy.WasReplaced);

        holder.Kill();
        Assert.Throws<WorkerCrashedException>(() => blocked.GetResult(Safety));
        Assert.True(SpinWait.SpinUntil(() => pool.Insights.Workers[busy.Slot] is { WorkersStarted: 2, WorkerName: not null }, Safety), "The killed worker was not replaced.");

        WorkerInsights replaced = pool.Insights.Workers[busy.Slot];
        Assert.True(replaced.WasReplaced);
        Assert.Equal(1, replaced.WorkersLost);
        Assert.NotEqual(holder.Name, replaced.WorkerName);
        Assert.Equal($"{holder.Name} (pid {holder.ProcessId}) died", replaced.PreviousWorker);
        Assert.Equal(1, replaced.TasksFailed);
        Assert.Equal(WorkerCrashedExceptionTypeName, Assert.Single(pool.Insights.RecentFailures).ExceptionType);
        Release(run);
    }

    [Fact]
    public void A_shut_down_pool_shows_its_workers_stopped_and_keeps_its_counts()
    {
        var pool = NewPool(name => new FakeWorkerFactory(name), workers: 2, retries: 0);
        long run = NewRun();
        pool.Map(Work, Jobs(run, 12), timeout: Safety);

        pool.Dispose();

        PoolInsights insights = pool.Insights;
        Assert.All(insights.Workers, worker => Assert.Equal(WorkerActivity.Stopped, worker.Activity));
        Assert.All(insights.Workers, worker => Assert.Null(worker.WorkerName));
        Assert.Equal(12, insights.TasksDone);
        TimeSpan uptime = insights.Uptime;
        Thread.Sleep(20);
        Assert.Equal(uptime, pool.Insights.Uptime);
    }

    private const string WorkerCrashedExceptionTypeName = "ParallelDsl.WorkerCrashedException";

    private static ProcessPool NewPool(Func<string, IPoolWorkerFactory> factory, int workers, int retries) =>
        new($"InsightsPool-{Interlocked.Increment(ref s_pools)}", factory, workers, retries: retries);
}
