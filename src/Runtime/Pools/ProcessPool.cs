using System.Collections.Generic;
using System.Threading.Tasks;
using System.Threading;
using System;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl;

/// <summary>
/// A pool of warm worker processes, like Python's <c>multiprocessing.Pool</c> and <c>ProcessPoolExecutor</c>: the
/// workers start once and run many tasks each. Only <see cref="RunInProcessAttribute"/> methods run in it, passed by
/// name: <c>pool.Map(Square, items)</c>. The source generator turns such a call into one that carries the method's
/// generated descriptor (its stable id and codecs); a lambda or a method without the attribute is a compile-time error.
/// </summary>
/// <remarks>
/// A worker that dies (a crash, a kill, a stack overflow — an exception is not a death) is replaced: the task it was
/// running fails with <see cref="WorkerCrashedException"/> naming the worker and the input index, or runs again when
/// <c>retries</c> allows; every other task still runs, and the pool goes on working.
/// </remarks>
public sealed class ProcessPool : ProcessPoolBase
{
    private static int s_pools;

    /// <summary>Starts a pool of worker processes.</summary>
    /// <param name="workers">The number of worker processes; 0 for <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="maxTasksPerWorker">Tasks a worker runs before it is replaced by a fresh process; 0 for no limit.</param>
    /// <param name="initializer">A <see cref="RunInProcessAttribute"/> method each worker runs once before its first task (<c>ProcessAction.Of(Setup)</c>); if it fails, the pool is broken.</param>
    /// <param name="retries">How many times a task whose worker died is started again (on another worker) before it fails.</param>
    /// <param name="taskTimeout">How long one task may run; past it, its worker is killed and replaced and the task fails with <see cref="TimeoutException"/>.</param>
    /// <param name="maxMemoryPerWorker">Resident memory, in bytes, past which a worker is replaced by a fresh process once its chunk of tasks is done (Celery's <c>worker_max_memory_per_child</c>); 0 for no limit. Linux only.</param>
    /// <param name="cpuAffinity">
    /// The CPUs the workers may run on (Linux, <c>sched_setaffinity</c>): one set pins every worker to it
    /// (<c>[[0, 1]]</c>), one set per worker pins the worker of each slot, and its replacements, to its own
    /// (<c>[[0], [1]]</c>); <see langword="null"/> leaves the workers where the system puts them.
    /// </param>
    /// <param name="maxActiveTasks">
    /// The most tasks of one map call that are read from its input and not yet returned to the caller; the input is
    /// then read lazily, as tasks end, so a map over a huge or endless sequence runs in bounded memory. 0 reads the
    /// input completely when the call starts.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A count or the memory limit is negative, or <paramref name="taskTimeout"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="cpuAffinity"/> holds an empty set, a CPU this process may not run on, or neither 1 nor <paramref name="workers"/> sets.</exception>
    /// <exception cref="PlatformNotSupportedException"><paramref name="cpuAffinity"/> was given on a system other than Linux.</exception>
    public ProcessPool(
        int workers = 0,
        int maxTasksPerWorker = 0,
        ProcessAction? initializer = null,
        int retries = 0,
        TimeSpan? taskTimeout = null,
        long maxMemoryPerWorker = 0,
        IReadOnlyList<IReadOnlyList<int>>? cpuAffinity = null,
        int maxActiveTasks = 0)
        : this(NextName(), ProcessPoolWorkers.CreateFactory, workers, maxTasksPerWorker, initializer, retries, taskTimeout, maxMemoryPerWorker, cpuAffinity, maxActiveTasks)
    {
    }

    internal ProcessPool(
        string name,
        Func<string, IPoolWorkerFactory> createFactory,
        int workers = 0,
        int maxTasksPerWorker = 0,
        ProcessAction? initializer = null,
        int retries = 0,
        TimeSpan? taskTimeout = null,
        long maxMemoryPerWorker = 0,
        IReadOnlyList<IReadOnlyList<int>>? cpuAffinity = null,
        int maxActiveTasks = 0)
        : base(name, createFactory(name), new PoolEngineOptions
        {
            Workers = workers == 0 ? Environment.ProcessorCount : workers,
            MaxActiveTasks = maxActiveTasks,
            PrepareWorker = PoolCpuAffinity.Create(cpuAffinity, workers == 0 ? Environment.ProcessorCount : workers),
            MaxTasksPerWorker = maxTasksPerWorker,
            MaxMemoryPerWorker = maxMemoryPerWorker,
            Retries = retries,
            TaskTimeout = taskTimeout,
            CreateInitializer = initializer is null ? null : () => new ProcessActionJob(initializer),
        })
    {
    }

    /// <summary>
    /// Runs a batch of tasks of one <see cref="RunInProcessAttribute"/> method whose arguments are already encoded, as a
    /// generated <see cref="ProcessBatchEncoder{T}"/> writes them, and returns the encoded outcomes, as a generated
    /// <see cref="ProcessBatchDecoder{T}"/> reads them (a task that threw is an error outcome, not an exception here).
    /// The batch runs on one worker; a relay that wants every worker busy runs several batches at once.
    /// </summary>
    /// <param name="methodId">The method's stable id in the dispatch table.</param>
    /// <param name="arguments">The tasks' encoded arguments, back to back.</param>
    /// <param name="count">How many tasks <paramref name="arguments"/> holds; at least 1.</param>
    /// <param name="cancellationToken">Cancels the batch if it has not started, and the wait.</param>
    /// <exception cref="RemoteException">The worker could not run the batch (no such method in it, malformed arguments).</exception>
    /// <exception cref="WorkerCrashedException">The worker died while it ran the batch.</exception>
    internal Task<byte[]> RunEncodedBatchAsync(ulong methodId, ReadOnlyMemory<byte> arguments, int count, CancellationToken cancellationToken = default) =>
        SubmitCore(new EncodedBatchJob(methodId, arguments, count), cancellationToken).WaitAsync(cancellationToken);

    private static string NextName() => $"ProcessPool-{Interlocked.Increment(ref s_pools)}";
}
