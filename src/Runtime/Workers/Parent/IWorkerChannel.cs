using System;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl.Wire;

/// <summary>
/// The parent's side of a connection to one authenticated worker: send task frames, receive result frames, learn
/// that the worker is gone. Local sockets are the first transport; a message-broker transport will carry the same
/// frames later, so nothing here may assume a local process.
/// </summary>
internal interface IWorkerChannel : IAsyncDisposable
{
    /// <summary>
    /// Completes when the worker is gone (it exited, was killed, or its connection broke); faults with a
    /// <see cref="ProtocolException"/> when it sent an invalid frame.
    /// </summary>
    Task Completion { get; }

    /// <summary>Sends a task: run <paramref name="methodId"/> (declared in <paramref name="owner"/>) on <paramref name="arguments"/>.</summary>
    ValueTask SendTaskAsync(ulong taskId, ulong methodId, string owner, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken);

    /// <summary>Tells the worker that no more tasks will come, so it finishes and exits.</summary>
    ValueTask SendShutdownAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Receives the next result, or <see langword="null"/> when the worker is gone (see <see cref="Completion"/>).
    /// The caller disposes the result.
    /// </summary>
    /// <exception cref="ProtocolException">The worker sent an invalid frame.</exception>
    ValueTask<TaskResult?> ReceiveResultAsync(CancellationToken cancellationToken);
}
