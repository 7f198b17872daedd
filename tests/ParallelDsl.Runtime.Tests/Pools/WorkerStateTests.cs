using System.Diagnostics;
using ParallelDsl;
using ParallelDsl.Tests.Processes;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// <c>[WorkerState]</c> and <c>Shutdown(workerExit)</c>: each worker keeps its own state across its tasks, and the
/// exit function's value comes back per worker; one that throws or dies fails only its own slot.
/// </summary>
public sealed partial class WorkerStateTests : WorkerProcessTest
{
    [WorkerState]
    private static long s_sum;

    [WorkerState]
    private static int s_tasks;

    [RunInProcess]
    internal static int Accumulate(int n)
    {
        s_sum += n;
        s_tasks++;
        return Environment.ProcessId;
    }

    [RunInProcess]
    internal static long PartialSum(int slot) => s_tasks == 0 ? -1 : s_sum;

    [RunInProcess]
    internal static long ThrowInSlotOne(int slot) => slot == 1 ? throw new InvalidOperationException("no sum in slot one") : s_sum;

    [RunInProcess]
    internal static long DieInSlotOne(int slot)
    {
        if (slot == 1)
        {
            Process.GetCurrentProcess().Kill();
            Thread.Sleep(Timeout.Infinite);
        }

        return s_sum;
    }

    [Fact]
    public void Each_worker_keeps_its_state_and_its_exit_value_comes_back_per_slot()
    {
        var pool = new ProcessPool(workers: 2);

        // Both workers must take chunks for both slots to have state: a worker still starting lets the other take all.
        Assert.True(SpinWait.SpinUntil(() => pool.Insights.Workers.All(worker => worker.ProcessId is not null), Safety), "A worker never started.");
        int[] pids = pool.Map(Accumulate, Enumerable.Range(1, 1_000), chunkSize: 10, timeout: Safety);

        IReadOnlyList<WorkerExit<long>> exits = pool.Shutdown(PartialSum);

        Assert.Equal([0, 1], exits.Select(exit => exit.Slot));
        Assert.All(exits, exit => Assert.True(exit.Succeeded, exit.ToString()));
        Assert.Equal(500_500L, exits.Sum(exit => exit.Value));
        Assert.Equal(pids.Distinct().Order(), exits.Select(exit => exit.ProcessId!.Value).Order());
        Assert.Equal(0, s_sum);
        Assert.All(pids.Distinct(), pid => Assert.False(ProcessTree.IsRunning(pid), $"worker {pid} survived the shutdown"));
        Assert.True(pool.IsClosed);
    }

    [Fact]
    public void An_exit_function_that_throws_fails_its_slot_with_the_remote_exception_and_the_others_return()
    {
        using var pool = new ProcessPool(workers: 2);
        _ = pool.Map(Accumulate, Enumerable.Range(1, 100), chunkSize: 1, timeout: Safety);

        IReadOnlyList<WorkerExit<long>> exits = pool.Shutdown(ThrowInSlotOne);

        Assert.True(exits[0].Succeeded, exits[0].ToString());
        RemoteException remote = Assert.IsType<RemoteException>(exits[1].Error);
        Assert.Contains("no sum in slot one", remote.Message, StringComparison.Ordinal);
        InvalidOperationException noValue = Assert.Throws<InvalidOperationException>(() => exits[1].Value);
        Assert.Same(remote, noValue.InnerException);
    }

    [Fact]
    public void A_worker_that_dies_in_its_exit_function_is_reported_as_crashed_and_the_others_return()
    {
        using var pool = new ProcessPool(workers: 2);
        _ = pool.Map(Accumulate, Enumerable.Range(1, 100), chunkSize: 1, timeout: Safety);

        IReadOnlyList<WorkerExit<long>> exits = pool.Shutdown(DieInSlotOne);

        Assert.True(exits[0].Succeeded, exits[0].ToString());
        WorkerCrashedException crashed = Assert.IsType<WorkerCrashedException>(exits[1].Error);
        Assert.Equal(exits[1].ProcessId, crashed.WorkerProcessId);
    }

    [Fact]
    public void Shutdown_with_an_exit_function_on_a_closed_pool_is_refused()
    {
        using var pool = new ProcessPool(workers: 1);
        pool.Close();

        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => pool.Shutdown(PartialSum));

        Assert.Contains("closed already", refused.Message, StringComparison.Ordinal);
    }
}
