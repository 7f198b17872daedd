using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace ParallelDsl;

/// <summary>
/// A run of consecutive tasks of one job, handed to one worker at a time. The worker runs the tasks in order and
/// reports each before it starts the next, so that <see cref="Reported"/> always says how far it got: if the worker
/// dies, the task at <see cref="NextPosition"/> is the one it held and the tasks after it never started.
/// </summary>
internal sealed class PoolChunk
{
    private int _reported;
    private long _lastReportTimestamp;
    private bool _trackTime;

    public PoolChunk(PoolJob job, int start, int count)
    {
        Job = job;
        Start = start;
        Count = count;
    }

    /// <summary>The job the tasks belong to.</summary>
    public PoolJob Job { get; }

    /// <summary>The position of the chunk's first task in its job.</summary>
    public int Start { get; }

    /// <summary>The number of tasks in the chunk.</summary>
    public int Count { get; private set; }

    /// <summary>How many tasks of the chunk, from its start, have been reported.</summary>
    public int Reported => Volatile.Read(ref _reported);

    /// <summary>The position of the next task to run (the one in flight while a worker holds the chunk).</summary>
    public int NextPosition => Start + Reported;

    /// <summary>Whether every task of the chunk has been reported.</summary>
    public bool IsDone => Reported == Count;

    /// <summary>The number of tasks not reported yet.</summary>
    public int Remaining => Count - Reported;

    /// <summary>When the last task was reported (or the chunk was handed to its worker), as a <see cref="Stopwatch"/> timestamp.</summary>
    public long LastReportTimestamp => Volatile.Read(ref _lastReportTimestamp);

    /// <summary>
    /// The insights of the slot whose worker holds the chunk, which its reports count for; <see langword="null"/> while
    /// the chunk waits in the queue.
    /// </summary>
    public PoolSlotInsights? Insights { get; set; }

    /// <summary>
    /// Whether the worker must send this chunk's tasks one per frame rather than in batches: when tasks are timed (a
    /// batch would hide which task ran long), or after a worker died during a batch (to find the task that kills it).
    /// </summary>
    public bool RunsSingly { get; set; }

    /// <summary>Asks the job whether the next task may start; <see langword="false"/> means the worker must stop.</summary>
    public bool TryStartNext() => !IsDone && Job.TryStartTask();

    /// <summary>
    /// Reports the end of the task at <see cref="NextPosition"/>. Its result, on success, must be stored in the job
    /// before this call. Called by the worker, or by the engine for a task the worker can no longer report.
    /// </summary>
    public void ReportNext(Exception? error)
    {
        int reported = ReserveReport(1);
        Insights?.Ended(this, Start + reported, error);
        Job.OnTaskEnded(Start + reported, error);
        Advance(reported, 1);
    }

    /// <summary>
    /// Reports the end of the next <paramref name="count"/> tasks at once (a batch): one write of <see cref="Reported"/>
    /// for all of them. Their results, on success, must be stored in the job before this call.
    /// </summary>
    /// <param name="count">How many tasks ended, from <see cref="NextPosition"/>.</param>
    /// <param name="errors">The failed ones, by their place among the <paramref name="count"/>, in ascending order.</param>
    public void ReportRange(int count, IReadOnlyList<(int Offset, Exception Error)> errors)
    {
        int reported = ReserveReport(count);
        Insights?.Ended(this, Start + reported, count, errors);
        Job.OnTasksEnded(Start + reported, count, errors);
        Advance(reported, count);
    }

    private int ReserveReport(int count)
    {
        int reported = Reported;
        if (count > Count - reported)
        {
            throw new InvalidOperationException("A worker reported more results than its chunk holds tasks.");
        }

        return reported;
    }

    private void Advance(int reported, int count)
    {
        // Only the thread holding the chunk's worker writes the mark (one at a time, handed over with the worker);
        // the watchdog and the insights read it: a plain ordered write is enough, no interlocked one on every report.
        if (Insights is { } insights)
        {
            // The time since the hand-off or the last report is time the worker ran this chunk's tasks.
            long now = Stopwatch.GetTimestamp();
            insights.Ran(now - _lastReportTimestamp);
            Volatile.Write(ref _lastReportTimestamp, now);
        }
        else if (_trackTime)
        {
            Volatile.Write(ref _lastReportTimestamp, Stopwatch.GetTimestamp());
        }

        Volatile.Write(ref _reported, reported + count);
    }

    /// <summary>
    /// Marks the moment the chunk was handed to a worker; with <paramref name="trackTime"/>, every report refreshes
    /// the mark for the task-timeout watchdog.
    /// </summary>
    public void MarkDispatched(bool trackTime)
    {
        _trackTime = trackTime;
        Volatile.Write(ref _lastReportTimestamp, Stopwatch.GetTimestamp());
    }

    /// <summary>Reports every remaining task as failed with the error <paramref name="errorFor"/> makes for it.</summary>
    public void FailRemaining(Func<int, Exception> errorFor)
    {
        while (!IsDone)
        {
            ReportNext(errorFor(NextPosition));
        }
    }

    /// <summary>Reports every remaining task as cancelled.</summary>
    public void CancelRemaining() =>
        FailRemaining(_ => new OperationCanceledException("The task was cancelled before it started.", Job.CancellationToken));

    /// <summary>
    /// Keeps the next <paramref name="take"/> remaining tasks in this chunk and returns the ones after them as a new
    /// chunk, or <see langword="null"/> when no more than <paramref name="take"/> remain.
    /// </summary>
    public PoolChunk? SplitAfter(int take)
    {
        if (Remaining <= take)
        {
            return null;
        }

        int keep = Reported + take;
        var tail = new PoolChunk(Job, Start + keep, Count - keep);
        Count = keep;
        return tail;
    }
}
