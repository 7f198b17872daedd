using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace ParallelDsl;

// Insights: what each slot did (PoolSlotInsights, kept by the slots as they go), read into a PoolInsights snapshot.
internal sealed partial class PoolEngine
{
    private readonly PoolSlotInsights[] _slotInsights;
    private readonly long _createdAt = Stopwatch.GetTimestamp();

    /// <summary>Starts the slot's next worker (<see cref="TryStartWorker"/>), counting the time and the worker.</summary>
    private IPoolWorker? StartWorker(PoolWorkerStarts starts, int slot, PoolSlotInsights insights)
    {
        insights.Activity = WorkerActivity.Starting;
        long started = Stopwatch.GetTimestamp();
        IPoolWorker? worker = TryStartWorker(starts, slot);
        insights.StartingTicks += Stopwatch.GetTimestamp() - started;
        if (worker is not null)
        {
            insights.WorkersStarted++;
            insights.Worker = worker;
            insights.Activity = WorkerActivity.Idle;
        }

        return worker;
    }

    /// <summary>A snapshot of every slot's insights; reads the workers' resident memory when <paramref name="withMemory"/>.</summary>
    public PoolInsights Snapshot(string poolName, bool withMemory)
    {
        long now = Stopwatch.GetTimestamp();
        var workers = new WorkerInsights[_slotInsights.Length];
        var failures = new List<PoolFailure>();
        long lastStop = 0;
        for (int i = 0; i < _slotInsights.Length; i++)
        {
            PoolSlotInsights slot = _slotInsights[i];
            workers[i] = Describe(slot, _leases?[i], now, withMemory);
            failures.AddRange(slot.RecentFailures());
            lastStop = Math.Max(lastStop, slot.StoppedAt);
        }

        bool stopped = workers.All(worker => worker.Activity == WorkerActivity.Stopped);
        return new PoolInsights
        {
            Pool = poolName,
            Uptime = Stopwatch.GetElapsedTime(_createdAt, stopped && lastStop > 0 ? lastStop : now),
            Workers = workers,
            RecentFailures = [.. failures.OrderBy(failure => failure.At)],
        };
    }

    private static WorkerInsights Describe(PoolSlotInsights slot, PoolSlotLease? lease, long now, bool withMemory)
    {
        IPoolWorker? worker = slot.Worker;
        PoolChunk? chunk = slot.Chunk ?? (lease is { IsLent: true } ? lease.Chunk : null);
        WorkerActivity activity = slot.Activity;
        bool busy = activity == WorkerActivity.Idle && chunk is not null;
        long end = slot.StoppedAt > 0 ? slot.StoppedAt : now;
        TimeSpan starting = Ticks(slot.StartingTicks);
        TimeSpan running = Ticks(slot.RunningTicks);
        TimeSpan alive = Stopwatch.GetElapsedTime(slot.CreatedAt, end);
        return new WorkerInsights
        {
            Slot = slot.Slot,
            WorkerName = worker?.Name,
            ProcessId = worker?.ProcessId,
            ResidentBytes = withMemory ? worker?.ResidentBytes() : null,
            Activity = busy ? WorkerActivity.Running : activity,
            RunningTask = busy ? chunk!.Job.TaskName : null,
            RunningInputIndex = busy ? chunk!.NextPosition : null,
            RunningFor = busy ? Stopwatch.GetElapsedTime(chunk!.LastReportTimestamp, now) : TimeSpan.Zero,
            Starting = starting,
            Running = running,
            Waiting = alive > starting + running ? alive - starting - running : TimeSpan.Zero,
            Encoding = Ticks(slot.EncodingTicks),
            Decoding = Ticks(slot.DecodingTicks),
            TasksDone = slot.TasksDone,
            TasksFailed = slot.TasksFailed,
            TasksRetried = slot.TasksRetried,
            WorkersStarted = slot.WorkersStarted,
            WorkersLost = slot.WorkersLost,
            WorkersRetired = slot.WorkersRetired,
            PreviousWorker = slot.PreviousWorker,
        };
    }

    private static TimeSpan Ticks(long stopwatchTicks) => TimeSpan.FromTicks((long)(stopwatchTicks * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
}
