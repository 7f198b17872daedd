using System;
using System.Threading;
using System.Threading.Tasks;
using ParallelDsl.Wire;

namespace ParallelDsl;

/// <summary>A task frame: run method <see cref="MethodId"/> on <see cref="Arguments"/> and answer with <see cref="TaskId"/>.</summary>
/// <param name="TaskId">An id, unique per worker connection, that the result frame repeats.</param>
/// <param name="MethodId">The method's stable id in the dispatch table.</param>
/// <param name="Arguments">The encoded arguments; only valid during the send (the buffer is reused).</param>
internal readonly record struct PoolTaskFrame(long TaskId, ulong MethodId, ReadOnlyMemory<byte> Arguments);

/// <summary>A result frame: the answer to the task frame <see cref="TaskId"/>.</summary>
/// <param name="TaskId">The id of the task frame it answers.</param>
/// <param name="Payload">The encoded result, when the task succeeded.</param>
/// <param name="Error">The task's exception (a <c>RemoteException</c> rebuilt from an error frame), or <see langword="null"/>.</param>
internal readonly record struct PoolResultFrame(long TaskId, ReadOnlyMemory<byte> Payload, Exception? Error);

/// <summary>
/// The connection to one worker, as a transport offers it: task frames out, result frames back, in order, over
/// one connection (local pipes or sockets today; a broker queue pair later). The worker runs its tasks one at a time.
/// </summary>
internal interface IPoolWorkerChannel : IAsyncDisposable
{
    /// <summary>The worker's name.</summary>
    string Name { get; }

    /// <summary>The worker's process id, when it is a process.</summary>
    int? ProcessId { get; }

    /// <summary>Completes when the worker has ended.</summary>
    Task Exited { get; }

    /// <summary>Sends one task frame; throws when the worker is gone or <paramref name="cancellationToken"/> is signalled.</summary>
    ValueTask SendAsync(PoolTaskFrame task, CancellationToken cancellationToken);

    /// <summary>Receives the next result frame; throws when the worker is gone or <paramref name="cancellationToken"/> is signalled.</summary>
    ValueTask<PoolResultFrame> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>The shared-memory lane that single tasks may take instead, when the worker has one.</summary>
    IPoolLaneChannel? Lane => null;

    /// <summary>How the worker ended, once it has, when the transport can tell (a signal, the OOM killer); otherwise <see langword="null"/>.</summary>
    ProcessTerminatedException? DescribeExit() => null;

    /// <summary>The worker's resident memory in bytes, when the transport can measure it; otherwise <see langword="null"/>.</summary>
    long? ResidentBytes() => null;
}

/// <summary>Reads a Result frame body: the id of the task it answers, its status and its payload.</summary>
internal delegate T LaneResultReader<T>(ReadOnlySpan<byte> resultBody, long taskId);

/// <summary>
/// The lane of a <see cref="IPoolWorkerChannel"/>: one single task at a time is posted in shared memory and its
/// result collected there, by whichever thread holds the worker's slot.
/// </summary>
internal interface IPoolLaneChannel
{
    /// <summary>The lane itself: entering, watching and ringing it.</summary>
    PoolLane Lane { get; }

    /// <summary>
    /// Posts a task in the lane (the caller holds the worker: no frame is in flight); <see langword="false"/> when the
    /// lane is not ready or the task does not fit in it.
    /// </summary>
    bool TryPost(PoolTaskFrame task);

    /// <summary>Where the result of the posted task is.</summary>
    LaneResult Peek();

    /// <summary>Whether the worker took the posted task.</summary>
    bool TookTask { get; }

    /// <summary>Hands over the result of the posted task to <paramref name="read"/>; the task is no longer held afterwards.</summary>
    T TakeResult<T>(LaneResultReader<T> read);

    /// <summary>The exception for a worker that ended while it held the posted task: how it ended.</summary>
    Exception DescribeLoss();
}
