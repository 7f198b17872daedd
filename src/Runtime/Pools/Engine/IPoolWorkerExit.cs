using System;

namespace ParallelDsl;

/// <summary>
/// A function every worker runs once as the pool shuts down, after its last task and before it stops (mpire's
/// <c>worker_exit</c>); the pool gathers what each worker's run of it returned.
/// </summary>
internal interface IPoolWorkerExit
{
    /// <summary>The one-task job the worker of <paramref name="slot"/> runs.</summary>
    PoolJob CreateJob(int slot);

    /// <summary>
    /// What the worker of <paramref name="slot"/> made of <paramref name="job"/>: its result is stored in the job, or
    /// <paramref name="failure"/> says why there is none (the function threw, or the worker died under it).
    /// </summary>
    void Report(int slot, string workerName, int? processId, PoolJob job, Exception? failure);
}
