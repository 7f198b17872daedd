using System;
using System.Threading;

namespace ParallelDsl;

/// <summary>
/// Thrown by <see cref="IPoolWorkerFactory.StartAsync"/> when the worker died while it started (a signal ended it: an
/// operator's kill, the OOM killer, a crash) or its channel broke before it was ready. That is a crash, not a verdict on
/// the program: the engine starts the worker again (<see cref="PoolWorkerStarts"/>).
/// </summary>
internal sealed class PoolWorkerStartCrashedException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>
/// The start attempts of one pool slot. A worker that dies before it is ready — while it starts, connects, gets its
/// lane or runs the initializer — is started again after a short backoff that doubles each time (10 ms, 20 ms … at most
/// 500 ms); only <see cref="MaxFailedStarts"/> failed starts in a row break the pool, with the last death as the
/// reason. A worker that becomes ready ends the run.
/// </summary>
internal sealed class PoolWorkerStarts
{
    /// <summary>How many starts in a row may fail before the pool is broken.</summary>
    public const int MaxFailedStarts = 16;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a backoff sleeps before it looks again whether the slot is still needed.</summary>
    private static readonly TimeSpan BackoffSlice = TimeSpan.FromMilliseconds(20);

    private int _failed;

    /// <summary>How many starts in a row have failed.</summary>
    public int Failed => _failed;

    /// <summary>A worker became ready: the run of failed starts is over.</summary>
    public void Succeeded() => _failed = 0;

    /// <summary>
    /// Counts a failed start and sleeps the backoff before the next one. <see langword="false"/> when the bound is
    /// reached (break the pool) or <paramref name="stillNeeded"/> turned false during the wait (the pool terminates).
    /// </summary>
    public bool FailAndWait(Func<bool> stillNeeded, CancellationToken termination)
    {
        if (++_failed >= MaxFailedStarts)
        {
            return false;
        }

        TimeSpan backoff = FirstBackoff * Math.Pow(2, Math.Min(_failed - 1, 5));
        if (backoff > MaxBackoff)
        {
            backoff = MaxBackoff;
        }

        for (TimeSpan left = backoff; left > TimeSpan.Zero; left -= BackoffSlice)
        {
            if (!stillNeeded() || termination.WaitHandle.WaitOne(left < BackoffSlice ? left : BackoffSlice))
            {
                return false;
            }
        }

        return stillNeeded();
    }

    /// <summary>
    /// Whether <paramref name="failure"/> (or a cause of it) says that the worker died by a signal or lost its channel
    /// while it started, which is worth another start.
    /// </summary>
    public static bool IsCrash(Exception failure)
    {
        for (Exception? cause = failure; cause is not null; cause = cause.InnerException)
        {
            if (cause is PoolWorkerStartCrashedException or ProcessTerminatedException { Signal: not null })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The message of a pool broken by failed starts.</summary>
    public string DescribeBreak(int workerNumber, Exception lastFailure) =>
        $"The pool could not start worker {workerNumber}: {_failed} starts in a row ended before the worker was ready, " +
        $"and the pool stopped trying. The last one: {lastFailure.Message}";
}
