using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace ParallelDsl;

/// <summary>
/// What one worker slot has done, for <see cref="PoolInsights"/>: plain counters and <see cref="Stopwatch"/> ticks
/// written by whoever holds the slot's worker at the moment (the slot thread, the worker's continuation, or the thread
/// a lent task is collected on; one at a time, handed over with the worker), and read at any time by a snapshot that
/// accepts a value a moment old. Nothing here is locked or allocated on the path of a task; only a failure takes the
/// lock of the short list of recent ones.
/// </summary>
internal sealed class PoolSlotInsights(int slot)
{
    /// <summary>How many recent failures a slot remembers.</summary>
    public const int RecentFailureCapacity = 16;

    private readonly Queue<PoolFailure> _recentFailures = new(RecentFailureCapacity);
    private IPoolWorker? _worker;
    private PoolChunk? _chunk;
    private int _activity = (int)WorkerActivity.Starting;

    /// <summary>The slot's number, from 0.</summary>
    public int Slot => slot;

    /// <summary>When the slot started, as a <see cref="Stopwatch"/> timestamp.</summary>
    public long CreatedAt { get; } = Stopwatch.GetTimestamp();

    /// <summary>When the slot stopped (0 while it runs).</summary>
    public long StoppedAt;

    public long StartingTicks;
    public long RunningTicks;
    public long EncodingTicks;
    public long DecodingTicks;
    public long TasksDone;
    public long TasksFailed;
    public long TasksCancelled;
    public long TasksRetried;
    public int WorkersStarted;
    public int WorkersLost;
    public int WorkersRetired;

    /// <summary>The name of the worker this slot had before its current one, and why it went.</summary>
    public string? PreviousWorker;

    /// <summary>The slot's current worker, or <see langword="null"/> between two.</summary>
    public IPoolWorker? Worker
    {
        get => Volatile.Read(ref _worker);
        set => Volatile.Write(ref _worker, value);
    }

    /// <summary>The chunk the slot thread is running, or <see langword="null"/>.</summary>
    public PoolChunk? Chunk
    {
        get => Volatile.Read(ref _chunk);
        set => Volatile.Write(ref _chunk, value);
    }

    public WorkerActivity Activity
    {
        get => (WorkerActivity)Volatile.Read(ref _activity);
        set => Volatile.Write(ref _activity, (int)value);
    }

    /// <summary>The slot thread hands <paramref name="chunk"/> to its worker: its reports count for this slot.</summary>
    public void Running(PoolChunk chunk)
    {
        chunk.Insights = this;
        Chunk = chunk;
    }

    /// <summary>The slot has stopped for good.</summary>
    public void Stopped()
    {
        Worker = null;
        Chunk = null;
        Activity = WorkerActivity.Stopped;
        Volatile.Write(ref StoppedAt, Stopwatch.GetTimestamp());
    }

    /// <summary>The time the slot's worker spent between hand-offs and reports, added by the chunk that reports.</summary>
    public void Ran(long ticks) => RunningTicks += ticks;

    /// <summary>Counts a task whose worker died under it and that goes to run again.</summary>
    public void Retried() => TasksRetried++;

    /// <summary>Adds the time since <paramref name="since"/> to encoding, <paramref name="weight"/> times (a sampled measurement counts for the tasks it stands for).</summary>
    public void Encoded(long since, int weight = 1) => EncodingTicks += (Stopwatch.GetTimestamp() - since) * weight;

    /// <summary>Adds the time since <paramref name="since"/> to decoding, <paramref name="weight"/> times.</summary>
    public void Decoded(long since, int weight = 1) => DecodingTicks += (Stopwatch.GetTimestamp() - since) * weight;

    /// <summary>Counts the end of one task that ran on this slot's worker.</summary>
    public void Ended(PoolChunk chunk, int position, Exception? error)
    {
        if (error is null)
        {
            TasksDone++;
        }
        else if (error is OperationCanceledException)
        {
            TasksCancelled++;
        }
        else
        {
            TasksFailed++;
            Remember(chunk, position, error);
        }
    }

    /// <summary>Counts the end of <paramref name="count"/> tasks of a batch, <paramref name="errors"/> of them failed.</summary>
    public void Ended(PoolChunk chunk, int start, int count, IReadOnlyList<(int Offset, Exception Error)> errors)
    {
        TasksDone += count - errors.Count;
        foreach ((int offset, Exception error) in errors)
        {
            if (error is OperationCanceledException)
            {
                TasksCancelled++;
            }
            else
            {
                TasksFailed++;
                Remember(chunk, start + offset, error);
            }
        }
    }

    /// <summary>The worker of this slot is gone: <paramref name="lost"/> when it died, otherwise it was retired.</summary>
    public void WorkerEnded(IPoolWorker worker, bool lost)
    {
        if (lost)
        {
            WorkersLost++;
        }
        else
        {
            WorkersRetired++;
        }

        PreviousWorker = $"{worker.Name}{(worker.ProcessId is int pid ? $" (pid {pid})" : "")} {(lost ? "died" : "was retired")}";
        Worker = null;
    }

    /// <summary>The failures this slot remembers, oldest first.</summary>
    public PoolFailure[] RecentFailures()
    {
        lock (_recentFailures)
        {
            return [.. _recentFailures];
        }
    }

    private void Remember(PoolChunk chunk, int position, Exception error)
    {
        IPoolWorker? worker = Worker;
        var failure = new PoolFailure(
            DateTimeOffset.UtcNow,
            chunk.Job.TaskName,
            position,
            worker?.Name,
            error is RemoteException remote ? remote.RemoteTypeName : error.GetType().FullName ?? error.GetType().Name,
            error is RemoteException remoteMessage ? remoteMessage.RemoteMessage : error.Message,
            error is RemoteException remoteTrace ? remoteTrace.RemoteStackTrace : error.StackTrace);
        lock (_recentFailures)
        {
            if (_recentFailures.Count == RecentFailureCapacity)
            {
                _recentFailures.Dequeue();
            }

            _recentFailures.Enqueue(failure);
        }
    }
}
