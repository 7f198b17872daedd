using System;
using System.Threading;
using System.Threading.Tasks;

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
}
