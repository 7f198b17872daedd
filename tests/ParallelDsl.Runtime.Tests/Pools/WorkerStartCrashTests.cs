using System.Diagnostics;
using ParallelDsl;
using ParallelDsl.Tests.Processes;
using static ParallelDsl.Runtime.Tests.Pools.TestProcessMethods;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// A worker that dies while it starts is a crash, not a verdict on the program: a pool starts it again, a launcher
/// reports the signal. Only a child that exits normally without connecting means a missing main guard.
/// </summary>
public sealed class WorkerStartCrashTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);
    private static int s_pools;

    [Fact]
    public void Workers_killed_while_they_start_are_started_again_and_the_pool_runs_every_task()
    {
        CrashingStarts? starts = null;
        using var pool = new ProcessPool($"StartCrashPool-{Interlocked.Increment(ref s_pools)}", name => starts = new CrashingStarts(name, crashes: 9), workers: 2);
        long run = NewRun();

        int[] squares = pool.Map(Work, Jobs(run, 50), timeout: Safety);

        Assert.Equal(Enumerable.Range(0, 50).Select(value => value * value), squares);
        Assert.Equal(9, starts!.Crashed);
        Assert.Equal([4, 9], pool.Map(Work, [new Job(run, 2), new Job(run, 3)], timeout: Safety));
    }

    [Fact]
    public void Starts_that_keep_dying_break_the_pool_with_the_signal_and_the_count_not_the_guard_hint()
    {
        CrashingStarts? starts = null;
        using var pool = new ProcessPool($"StartCrashPool-{Interlocked.Increment(ref s_pools)}", name => starts = new CrashingStarts(name, crashes: int.MaxValue), workers: 1);
        var watch = Stopwatch.StartNew();

        var broken = Assert.Throws<BrokenPoolException>(() => pool.Map(Work, Jobs(NewRun(), 5), timeout: Safety));

        Assert.Contains($"{PoolWorkerStarts.MaxFailedStarts} starts in a row ended before the worker was ready", broken.Message, StringComparison.Ordinal);
        Assert.Contains("was ended by SIGKILL (signal 9) while it started", broken.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("main guard", broken.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(PoolWorkerStarts.MaxFailedStarts, starts!.Crashed);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_child_killed_before_it_connects_reports_the_signal_pid_and_method_not_a_missing_guard()
    {
        using ProcessHandle<int> square = ProcessSubjects.StartSquare(3);
        Assert.Equal(0, LibC.Kill(square.Pid, LibC.SIGKILL));

        var killed = Assert.Throws<ProcessTerminatedException>(() => square.Join());

        Assert.Equal(LibC.SIGKILL, killed.Signal);
        Assert.Equal(square.Pid, killed.ProcessId);
        Assert.Contains($"(pid {square.Pid}) was ended by SIGKILL (signal 9) while it started", killed.Message, StringComparison.Ordinal);
        Assert.Contains("Square", killed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("main guard", killed.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static Job[] Jobs(long run, int count) => [.. Enumerable.Range(0, count).Select(value => new Job(run, value))];

    /// <summary>Fake workers whose first <c>crashes</c> starts die by SIGKILL before they connect.</summary>
    private sealed class CrashingStarts(string poolName, int crashes) : IPoolWorkerFactory
    {
        private readonly FakeWorkerFactory _workers = new(poolName);
        private int _starts;
        private int _crashed;

        public int Crashed => Volatile.Read(ref _crashed);

        public ValueTask<IPoolWorker> StartAsync(int number, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _starts) > crashes)
            {
                return _workers.StartAsync(number, cancellationToken);
            }

            Interlocked.Increment(ref _crashed);
            ProcessTerminatedException death = ProcessTerminatedException.BeforeConnecting($"{poolName}-worker-{number}", 50_000 + number, 128 + LibC.SIGKILL, outOfMemory: false, task: null);
            return ValueTask.FromException<IPoolWorker>(new PoolWorkerStartCrashedException(death.Message, death));
        }
    }
}
