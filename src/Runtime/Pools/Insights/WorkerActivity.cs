namespace ParallelDsl;

/// <summary>What a pool's worker slot is doing at the moment of a <see cref="PoolInsights"/> snapshot.</summary>
public enum WorkerActivity
{
    /// <summary>Starting a worker (a process start, its handshake and the initializer).</summary>
    Starting,

    /// <summary>Waiting for work.</summary>
    Idle,

    /// <summary>Running a task (<see cref="WorkerInsights.RunningTask"/>).</summary>
    Running,

    /// <summary>The slot has stopped: the pool is shut down or broken.</summary>
    Stopped,
}
