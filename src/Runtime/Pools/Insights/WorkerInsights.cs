using System;

namespace ParallelDsl;

/// <summary>
/// What one worker slot of a pool has done since the pool started, and what it does now. A slot keeps one worker at a
/// time; a worker that dies or is retired is replaced in the same slot, so the times and counts cover every worker
/// the slot had (<see cref="WorkersStarted"/>).
/// </summary>
public sealed record WorkerInsights
{
    /// <summary>The slot's number, from 0.</summary>
    public required int Slot { get; init; }

    /// <summary>The name of the slot's current worker (<c>ProcessPool-1-worker-3</c>), or <see langword="null"/> between two.</summary>
    public string? WorkerName { get; init; }

    /// <summary>The current worker's process id, when it is a process.</summary>
    public int? ProcessId { get; init; }

    /// <summary>The current worker's resident memory in bytes, where it can be told (Linux processes).</summary>
    public long? ResidentBytes { get; init; }

    /// <summary>What the slot is doing.</summary>
    public required WorkerActivity Activity { get; init; }

    /// <summary>The method of the task it runs, while <see cref="Activity"/> is <see cref="WorkerActivity.Running"/>.</summary>
    public string? RunningTask { get; init; }

    /// <summary>The input index of the task it runs.</summary>
    public int? RunningInputIndex { get; init; }

    /// <summary>How long the task it runs has been running.</summary>
    public TimeSpan RunningFor { get; init; }

    /// <summary>Time spent starting workers: the process start, the handshake, the initializer.</summary>
    public TimeSpan Starting { get; init; }

    /// <summary>Time spent with no work.</summary>
    public TimeSpan Waiting { get; init; }

    /// <summary>Time from handing tasks to the worker until their results were in, encoding and decoding included.</summary>
    public TimeSpan Running { get; init; }

    /// <summary>Of <see cref="Running"/>, the time this process spent encoding arguments.</summary>
    public TimeSpan Encoding { get; init; }

    /// <summary>Of <see cref="Running"/>, the time this process spent decoding results.</summary>
    public TimeSpan Decoding { get; init; }

    /// <summary>Tasks that succeeded.</summary>
    public long TasksDone { get; init; }

    /// <summary>Tasks that failed: threw, crashed their worker with no retry left, timed out, or could not be encoded.</summary>
    public long TasksFailed { get; init; }

    /// <summary>Tasks whose worker died under them and that went to run again (each retry counts once).</summary>
    public long TasksRetried { get; init; }

    /// <summary>Workers this slot started, the first one included.</summary>
    public int WorkersStarted { get; init; }

    /// <summary>Workers of this slot that died (a crash, a kill, a timeout) and were replaced.</summary>
    public int WorkersLost { get; init; }

    /// <summary>Workers of this slot retired by <c>maxTasksPerWorker</c> or <c>maxMemoryPerWorker</c> and replaced.</summary>
    public int WorkersRetired { get; init; }

    /// <summary>The worker this slot had before its current one and how it went (<c>… (pid 4242) died</c>), if any.</summary>
    public string? PreviousWorker { get; init; }

    /// <summary>Whether the slot's first worker was replaced: it died or was retired.</summary>
    public bool WasReplaced => WorkersLost + WorkersRetired > 0;
}
