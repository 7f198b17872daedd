using System;

namespace ParallelDsl;

/// <summary>Progress of one pool call: how many of its tasks have ended (succeeded, failed or cancelled).</summary>
/// <param name="Completed">The number of tasks that have ended.</param>
/// <param name="Total">The number of tasks of the call.</param>
public readonly record struct PoolProgress(int Completed, int Total)
{
    /// <summary>How many of the <see cref="Completed"/> tasks failed (threw, crashed their worker, timed out); cancelled ones do not count.</summary>
    public int Failed { get; init; }
}

/// <summary>
/// The failure of one task of a <c>Map</c>-style call, with the input index it failed on. The task's own exception
/// (the method's exception, a <see cref="WorkerCrashedException"/>, a <see cref="TimeoutException"/>…) is the
/// <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class PoolTaskException : Exception
{
    /// <summary>Creates the exception for the task at <paramref name="inputIndex"/> that failed with <paramref name="innerException"/>.</summary>
    public PoolTaskException(int inputIndex, Exception innerException)
        : base($"The task at input index {inputIndex} failed: {innerException?.Message}", innerException)
    {
        InputIndex = inputIndex;
    }

    /// <summary>The position, in the input sequence, of the item the task ran on.</summary>
    public int InputIndex { get; }
}

/// <summary>
/// A pool worker died (a crash, a kill, a broken channel) while it ran a task. The worker was replaced and the
/// pool's other tasks carried on; this task failed because it had no retry left.
/// </summary>
public sealed class WorkerCrashedException : Exception
{
    /// <summary>Creates the exception for the worker <paramref name="workerName"/> that died running the task at <paramref name="inputIndex"/>.</summary>
    public WorkerCrashedException(string workerName, int? workerProcessId, int inputIndex, int attempts, Exception? innerException)
        : base(Describe(workerName, workerProcessId, inputIndex, attempts, innerException), innerException)
    {
        WorkerName = workerName;
        WorkerProcessId = workerProcessId;
        InputIndex = inputIndex;
        Attempts = attempts;
    }

    /// <summary>The name of the worker that died.</summary>
    public string WorkerName { get; }

    /// <summary>The process id of the worker that died, when it was a process.</summary>
    public int? WorkerProcessId { get; }

    /// <summary>The input index of the task the worker was running.</summary>
    public int InputIndex { get; }

    /// <summary>How many times the task was started (1 + the retries used); each start ended with a worker's death.</summary>
    public int Attempts { get; }

    private static string Describe(string workerName, int? workerProcessId, int inputIndex, int attempts, Exception? cause)
    {
        string pid = workerProcessId is int id ? $" (pid {id})" : "";
        string tries = attempts > 1 ? $" after {attempts} attempts" : "";
        string reason = cause is null ? "" : $": {cause.Message}";
        return $"Worker '{workerName}'{pid} died while running the task at input index {inputIndex}{tries}; " +
               $"the worker was replaced{reason}";
    }
}

/// <summary>
/// A pool can no longer run tasks: a worker could not be started or its initializer failed. Every pending task fails
/// with this exception and new submissions throw it.
/// </summary>
public sealed class BrokenPoolException : InvalidOperationException
{
    /// <summary>Creates the exception with a message and the failure that broke the pool.</summary>
    public BrokenPoolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
