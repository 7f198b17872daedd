using System;

namespace ParallelDsl;

/// <summary>One failed task as <see cref="PoolInsights.RecentFailures"/> remembers it.</summary>
/// <param name="At">When the failure was reported.</param>
/// <param name="Task">The method (or <c>delegate</c>) that failed.</param>
/// <param name="InputIndex">The task's position in its call.</param>
/// <param name="WorkerName">The worker that ran it, when one did.</param>
/// <param name="ExceptionType">The full name of the exception's type (for a task that threw in a worker process, the type in the worker).</param>
/// <param name="Message">The exception's message.</param>
/// <param name="StackTrace">The stack trace (for a worker process, the one in the worker), if any.</param>
public sealed record PoolFailure(
    DateTimeOffset At,
    string Task,
    int InputIndex,
    string? WorkerName,
    string ExceptionType,
    string Message,
    string? StackTrace);
