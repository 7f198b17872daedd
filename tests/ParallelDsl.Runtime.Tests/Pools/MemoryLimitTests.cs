using ParallelDsl;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// <c>maxMemoryPerWorker</c>, Celery's <c>worker_max_memory_per_child</c>: a worker whose resident memory passed the
/// limit after its tasks is replaced by a fresh process; one that stays under it keeps running.
/// </summary>
public sealed partial class MemoryLimitTests
{
    private const long Limit = 160L * 1024 * 1024;
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    /// <summary>Memory a task keeps after it returns, as a leaking library would.</summary>
    private static readonly List<byte[]> s_kept = [];

    [Fact]
    public void A_worker_past_its_memory_limit_is_replaced_after_its_task_and_one_under_it_stays()
    {
        using var pool = new ProcessPool(workers: 1, maxMemoryPerWorker: Limit);

        int first = pool.Submit(Keep, 0).Result;
        int same = pool.Submit(Keep, 8).Result;
        int grown = pool.Submit(Keep, 256).Result;
        int fresh = pool.Submit(Keep, 0).Result;

        Assert.Equal(first, same);
        Assert.Equal(first, grown);
        Assert.NotEqual(grown, fresh);
        Assert.False(global::ParallelDsl.Tests.Processes.ProcessTree.IsRunning(grown));
    }

    [Fact]
    public void A_negative_memory_limit_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPool(workers: 1, maxMemoryPerWorker: -1));
    }

    /// <summary>Keeps <paramref name="megabytes"/> MiB, touched so that they are resident, and returns the worker's pid.</summary>
    [RunInProcess]
    internal static int Keep(int megabytes)
    {
        byte[] block = new byte[megabytes * 1024 * 1024];
        for (int i = 0; i < block.Length; i += 4096)
        {
            block[i] = 1;
        }

        // The worker is meant to keep the block (that is what the memory limit must notice); the parent never needs it.
#pragma warning disable PDSL0004
        s_kept.Add(block);
#pragma warning restore PDSL0004
        return Environment.ProcessId;
    }
}
