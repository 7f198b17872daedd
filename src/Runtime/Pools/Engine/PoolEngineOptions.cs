using System;

namespace ParallelDsl;

/// <summary>How a <see cref="PoolEngine"/> runs its workers.</summary>
internal sealed class PoolEngineOptions
{
    /// <summary>The number of workers kept running.</summary>
    public required int Workers { get; init; }

    /// <summary>Tasks a worker runs before it is retired and replaced; 0 for no limit.</summary>
    public int MaxTasksPerWorker { get; init; }

    /// <summary>Resident bytes past which a worker is retired and replaced after its chunk; 0 for no limit.</summary>
    public long MaxMemoryPerWorker { get; init; }

    /// <summary>How many times a task whose worker died is started again before it fails.</summary>
    public int Retries { get; init; }

    /// <summary>How long one task may run before its worker is stopped and the task fails; <see langword="null"/> for no limit.</summary>
    public TimeSpan? TaskTimeout { get; init; }

    /// <summary>Makes the one-task job every new worker runs before its first task; <see langword="null"/> for none.</summary>
    public Func<PoolJob>? CreateInitializer { get; init; }

    /// <summary>
    /// The most tasks a map call has read from its input and not yet handed back to its caller; 0 reads the input
    /// completely when the call starts (see <see cref="PoolExecutor"/>'s lazy maps).
    /// </summary>
    public int MaxActiveTasks { get; init; }

    /// <summary>
    /// Prepares a worker the factory started, before its initializer runs (CPU pinning): called with the worker's slot
    /// (0 to <see cref="Workers"/> - 1) on the slot's thread; an exception breaks the pool. <see langword="null"/> for none.
    /// </summary>
    public Action<int, IPoolWorker>? PrepareWorker { get; init; }
}
