using System;

namespace ParallelDsl;

/// <summary>Thrown by <see cref="IPoolWorker.RunAsync"/> when the worker was gone before it took any task of the chunk.</summary>
internal sealed class PoolWorkerUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>
/// Thrown by <see cref="IPoolWorker.RunAsync"/> when the worker died while it ran a batch of the chunk's tasks: the
/// tasks of the batch are unreported and none is blamed; the engine runs them again, one per frame.
/// </summary>
internal sealed class PoolBatchInterruptedException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>
/// Thrown by <see cref="IDirectPoolWorker.Collect"/> when the worker was lost (it died, or broke the protocol) while the
/// result of its posted task came through its channel; the inner exception says how.
/// </summary>
internal sealed class PoolWorkerLostException(string message, Exception innerException)
    : Exception(message, innerException);
