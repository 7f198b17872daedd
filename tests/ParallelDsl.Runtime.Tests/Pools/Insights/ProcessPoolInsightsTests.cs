using ParallelDsl;
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

        PoolInsights insights = pool.Insights;
        Assert.Equal(20_008, insights.TasksDone);
        Assert.Equal(pids.Distinct().Order(), insights.Workers.Select(worker => worker.ProcessId!.Value).Order());
        Assert.All(insights.Workers, worker => Assert.True(worker.ResidentBytes > 1 << 20, $"{worker.WorkerName} reports {worker.ResidentBytes} resident bytes."));
        Assert.All(insights.Workers, worker => Assert.True(worker.Starting > TimeSpan.Zero, $"{worker.WorkerName} took no time to start."));
        Assert.True(insights.Encoding > TimeSpan.Zero && insights.Decoding > TimeSpan.Zero, "Encoding or decoding took no time.");
        Assert.True(insights.Encoding + insights.Decoding < insights.Running, "Encoding and decoding are part of the running time.");
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
