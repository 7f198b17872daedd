using ParallelDsl;
using static ParallelDsl.Runtime.Tests.Pools.PoolProcessMethods;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>Tests that change a process-wide setting run alone, so that no other test's pool starts workers meanwhile.</summary>
[CollectionDefinition(nameof(ProcessWideSettings), DisableParallelization = true)]
public sealed class ProcessWideSettings;

/// <summary><see cref="ProcessSettings.PoolLanes"/> turned off: the same results, every task through the socket.</summary>
[Collection(nameof(ProcessWideSettings))]
public sealed class PoolLaneSettingTests : WorkerProcessTest
{
    [Fact]
    public void With_lanes_turned_off_every_task_takes_the_socket_and_the_results_are_the_same()
    {
        int[] results;
        int pid;
        ProcessPool pool;
        ProcessSettings.PoolLanes = false;
        try
        {
            pool = new ProcessPool(workers: 1);

            // The first result proves the worker started while the setting was off.
            pid = pool.Submit(WorkerPid, 0).GetResult(Safety);
            results = [.. Enumerable.Range(0, 300).Select(i => pool.Submit(Square, i).GetResult(Safety))];
        }
        finally
        {
            ProcessSettings.PoolLanes = true;
        }

        Assert.Equal(Enumerable.Range(0, 300).Select(i => i * i), results);
        Assert.Equal([4, 9], pool.Map(Square, [2, 3], timeout: Safety));
        Assert.Equal(pid, pool.Submit(WorkerPid, 0).GetResult(Safety));
        Assert.Equal(0, pool.LaneTasks);
        AssertGoneAfterDispose(pool, [pid]);
    }
}
