using ParallelDsl;
using ParallelDsl.Tests.Processes;
using static ParallelDsl.Runtime.Tests.Pools.PoolProcessMethods;

namespace ParallelDsl.Runtime.Tests.Pools.Insights;

/// <summary><see cref="ProcessPoolBase.Insights"/> of a pool with real worker processes.</summary>
public sealed class ProcessPoolInsightsTests : WorkerProcessTest
{
    [Fact]
    public void Insights_name_the_worker_processes_and_count_encoding_and_decoding()
    {
        using var pool = new ProcessPool(workers: 2);

        int[] pids = pool.Map(WorkerPid, Enumerable.Range(0, 8), chunkSize: 1, timeout: Safety);
        pool.Map(Square, Enumerable.Range(0, 20_000), timeout: Safety);

        // A slot whose worker took no task yet may still be starting it.
        Assert.True(SpinWait.SpinUntil(() => pool.Insights.Workers.All(worker => worker.ProcessId is not null), Safety), "A worker never started.");
        PoolInsights insights = pool.Insights;
        Assert.Equal(20_008, insights.TasksDone);
        // Which worker takes which of the eight tasks is the scheduler's business (one may take them all): every pid
        // a task saw is named, and the two named ones are distinct worker processes that run.
        int[] named = [.. insights.Workers.Select(worker => worker.ProcessId!.Value)];
        Assert.Equal(2, named.Distinct().Count());
        Assert.Subset(named.ToHashSet(), pids.ToHashSet());
        Assert.All(named, pid => Assert.True(pid != Environment.ProcessId && ProcessTree.IsRunning(pid), $"Worker pid {pid} is not a running worker process."));
        Assert.All(insights.Workers, worker => Assert.True(worker.ResidentBytes > 1 << 20, $"{worker.WorkerName} reports {worker.ResidentBytes} resident bytes."));
        Assert.All(insights.Workers, worker => Assert.True(worker.Starting > TimeSpan.Zero, $"{worker.WorkerName} took no time to start."));
        Assert.True(insights.Encoding > TimeSpan.Zero && insights.Decoding > TimeSpan.Zero, "Encoding or decoding took no time.");
        Assert.True(insights.Encoding + insights.Decoding < insights.Running, "Encoding and decoding are part of the running time.");
    }

    [Fact]
    public void Single_tasks_through_the_lane_are_counted_and_their_encoding_and_decoding_timed_by_sample()
    {
        using var pool = new ProcessPool(workers: 1);
        Assert.Equal(0, pool.Submit(Square, 0).GetResult(Safety));
        long before = pool.LaneTasks;

        for (int i = 1; i <= 256; i++)
        {
            Assert.Equal(i * i, pool.Submit(Square, i).GetResult(Safety));
        }

        // One lane task in 32 is timed and counts for 32: 256 tasks through the lane give at least 7 timed ones.
        Assert.True(pool.LaneTasks - before >= 250, $"Only {pool.LaneTasks - before} of 256 tasks took the lane.");
        PoolInsights insights = pool.Insights;
        Assert.Equal(257, insights.TasksDone);
        Assert.True(insights.Encoding > TimeSpan.Zero && insights.Decoding > TimeSpan.Zero, "Lane tasks' encoding or decoding was not counted.");
        Assert.True(insights.Running > insights.Encoding + insights.Decoding, "Lane tasks' running time was not counted.");
    }

    [Fact]
    public void A_worker_process_killed_mid_task_shows_as_replaced_and_its_task_as_retried()
    {
        string marker = Path.Combine(Folder, "killed-once");
        using var pool = new ProcessPool(workers: 2, retries: 1);

        int[] survivor = pool.Map(KillOnce, [marker], timeout: Safety);

        int killed = int.Parse(File.ReadAllText(marker));
        Assert.NotEqual(killed, survivor[0]);
        Assert.True(SpinWait.SpinUntil(() => pool.Insights.WorkersStarted == 3, Safety), "The killed worker was not replaced.");
        PoolInsights insights = pool.Insights;
        Assert.Equal(1, insights.TasksDone);
        Assert.Equal(1, insights.TasksRetried);
        Assert.Equal(0, insights.TasksFailed);
        WorkerInsights slot = Assert.Single(insights.Workers, worker => worker.WasReplaced);
        Assert.Equal(1, slot.WorkersLost);
        Assert.EndsWith($"(pid {killed}) died", slot.PreviousWorker, StringComparison.Ordinal);
        Assert.NotEqual(killed, slot.ProcessId);
    }
}
