using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// A pool of threads of this process for I/O-bound work, like Python's <c>concurrent.futures.ThreadPoolExecutor</c>:
/// any delegate can be submitted or mapped. For CPU-bound work that must run in parallel and in isolation, use
/// <see cref="ProcessPool"/>.
/// </summary>
/// <example>
/// <code>
/// using var pool = new ThreadPoolExecutor(maxWorkers: 8);
/// string[] pages = pool.Map(Download, urls);
/// PoolTask&lt;int&gt; size = pool.Submit(() => File.ReadAllBytes(path).Length);
/// </code>
/// </example>
public sealed partial class ThreadPoolExecutor : PoolExecutor
{
    private static int s_pools;

    /// <summary>Starts a pool of <paramref name="maxWorkers"/> threads.</summary>
    /// <param name="maxWorkers">The number of worker threads; 0 for <see cref="DefaultMaxWorkers"/>.</param>
    /// <param name="initializer">Runs once on each worker thread before its first task; if it throws, the pool is broken.</param>
    /// <param name="maxActiveTasks">
    /// The most tasks of one map call that are read from its input and not yet returned to the caller; the input is
    /// then read lazily, so a map over a huge or endless sequence runs in bounded memory. 0 reads the input
    /// completely when the call starts.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWorkers"/> or <paramref name="maxActiveTasks"/> is negative.</exception>
    public ThreadPoolExecutor(int maxWorkers = 0, Action? initializer = null, int maxActiveTasks = 0)
        : this($"ThreadPoolExecutor-{Interlocked.Increment(ref s_pools) - 1}", maxWorkers, initializer, maxActiveTasks)
    {
    }

    private ThreadPoolExecutor(string name, int maxWorkers, Action? initializer, int maxActiveTasks)
        : base(name, new PoolEngine(new ThreadPoolWorkerFactory(name), new PoolEngineOptions
        {
            Workers = maxWorkers == 0 ? DefaultMaxWorkers : ThrowIfNegative(maxWorkers),
            MaxActiveTasks = maxActiveTasks,
            CreateInitializer = initializer is null ? null : () => new LocalCallJob<bool>(_ =>
            {
                initializer();
                return true;
            }),
        }))
    {
    }

    /// <summary>Python's default: <c>min(32, processor count + 4)</c> threads.</summary>
    public static int DefaultMaxWorkers => Math.Min(32, Environment.ProcessorCount + 4);

    /// <summary>Runs <paramref name="function"/> on a worker thread.</summary>
    /// <exception cref="InvalidOperationException">The pool is closed (<see cref="BrokenPoolException"/>: broken).</exception>
    public PoolTask<TResult> Submit<TResult>(Func<TResult> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return SubmitCore(new LocalCallJob<TResult>(_ => function()), CancellationToken.None);
    }

    /// <summary>Runs the asynchronous <paramref name="function"/> on a worker thread, which it holds until it completes.</summary>
    /// <exception cref="InvalidOperationException">The pool is closed (<see cref="BrokenPoolException"/>: broken).</exception>
    public PoolTask<TResult> Submit<TResult>(Func<Task<TResult>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return SubmitCore(new LocalCallJob<TResult>(_ => function().GetAwaiter().GetResult()), CancellationToken.None);
    }

    /// <summary>
    /// Runs the asynchronous <paramref name="function"/> on a worker thread, which it holds until it completes. The
    /// token it receives is signalled by <paramref name="cancellationToken"/> and by <see cref="PoolExecutor.Terminate"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pool is closed (<see cref="BrokenPoolException"/>: broken).</exception>
    public PoolTask<TResult> Submit<TResult>(Func<CancellationToken, Task<TResult>> function, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        return SubmitCore(new LocalCallJob<TResult>(token => function(token).GetAwaiter().GetResult()), cancellationToken);
    }

    /// <summary>Applies <paramref name="function"/> to every item on the pool's threads; results in input order.</summary>
    /// <param name="function">The function to run on each item.</param>
    /// <param name="items">The inputs; read completely before the first task starts.</param>
    /// <param name="chunkSize">Items handed to a worker at a time; 0 for ceil(items / (workers × 4)).</param>
    /// <param name="progress">Receives the number of ended tasks (at most about 1,000 reports per call).</param>
    /// <param name="timeout">The time allowed for the whole call; when it passes, the tasks not started are cancelled.</param>
    /// <param name="cancellationToken">Cancels the tasks not started yet and the wait.</param>
    /// <exception cref="AggregateException">Tasks failed: one <see cref="PoolTaskException"/> per failed item, in input order.</exception>
    /// <exception cref="TimeoutException"><paramref name="timeout"/> passed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled or the pool terminated.</exception>
    public TResult[] Map<TArg, TResult>(
        Func<TArg, TResult> function,
        IEnumerable<TArg> items,
        int chunkSize = 0,
        IProgress<PoolProgress>? progress = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        MapCore(CreateJob(function, items, progress), chunkSize, timeout, cancellationToken);

    /// <summary>The asynchronous <see cref="Map{TArg, TResult}"/>.</summary>
    public Task<TResult[]> MapAsync<TArg, TResult>(
        Func<TArg, TResult> function,
        IEnumerable<TArg> items,
        int chunkSize = 0,
        IProgress<PoolProgress>? progress = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        MapCoreAsync(CreateJob(function, items, progress), chunkSize, timeout, cancellationToken);

    /// <summary>
    /// Applies <paramref name="function"/> to every item and yields each result as soon as its task ends. All tasks
    /// are queued by this call; stopping the enumeration early cancels the ones not started.
    /// </summary>
    /// <exception cref="PoolTaskException">A task failed (thrown when the enumeration reaches it).</exception>
    public IEnumerable<TResult> MapUnordered<TArg, TResult>(
        Func<TArg, TResult> function,
        IEnumerable<TArg> items,
        int chunkSize = 0,
        IProgress<PoolProgress>? progress = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        MapUnorderedCore(CreateJob(function, items, progress), chunkSize, timeout, cancellationToken);

    /// <summary>The asynchronous <see cref="MapUnordered{TArg, TResult}"/>.</summary>
    public IAsyncEnumerable<TResult> MapUnorderedAsync<TArg, TResult>(
        Func<TArg, TResult> function,
        IEnumerable<TArg> items,
        int chunkSize = 0,
        IProgress<PoolProgress>? progress = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        MapUnorderedCoreAsync(CreateJob(function, items, progress), chunkSize, timeout, cancellationToken);

    /// <summary>
    /// MapAsync over an asynchronous sequence, read lazily: at most the pool's <c>maxActiveTasks</c> items (65,536 when
    /// it sets none) are read and not yet returned; results in input order.
    /// </summary>
    public Task<TResult[]> MapAsync<TArg, TResult>(
        Func<TArg, TResult> function,
        IAsyncEnumerable<TArg> items,
        int chunkSize = 0,
        IProgress<PoolProgress>? progress = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        MapCoreAsync(CreateJob(function, items, progress), chunkSize, timeout, cancellationToken);

    /// <summary>
    /// MapUnorderedAsync over an asynchronous sequence, read lazily as results are taken (at most the pool's
    /// <c>maxActiveTasks</c>, or 65,536, in flight); stopping the enumeration cancels the tasks in flight.
    /// </summary>
    public IAsyncEnumerable<TResult> MapUnorderedAsync<TArg, TResult>(
        Func<TArg, TResult> function,
        IAsyncEnumerable<TArg> items,
        int chunkSize = 0,
        IProgress<PoolProgress>? progress = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        MapUnorderedCoreAsync(CreateJob(function, items, progress), chunkSize, timeout, cancellationToken);

    /// <summary>Python's <c>starmap</c>: <see cref="Map{TArg, TResult}"/> where each item holds the arguments of one call.</summary>
    public TResult[] StarMap<T1, T2, TResult>(
        Func<T1, T2, TResult> function,
        IEnumerable<(T1, T2)> items,
        int chunkSize = 0,
        IProgress<PoolProgress>? progress = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Map(arguments => function(arguments.Item1, arguments.Item2), items, chunkSize, progress, timeout, cancellationToken);
    }

    /// <summary>Python's <c>starmap</c> for three arguments.</summary>
    public TResult[] StarMap<T1, T2, T3, TResult>(
        Func<T1, T2, T3, TResult> function,
        IEnumerable<(T1, T2, T3)> items,
        int chunkSize = 0,
        IProgress<PoolProgress>? progress = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Map(arguments => function(arguments.Item1, arguments.Item2, arguments.Item3), items, chunkSize, progress, timeout, cancellationToken);
    }

    private static PoolMapInput<TArg, TResult> CreateJob<TArg, TResult>(Func<TArg, TResult> function, IEnumerable<TArg> items, IProgress<PoolProgress>? progress) =>
        new(items, JobsOf(function), progress);

    private static PoolMapInput<TArg, TResult> CreateJob<TArg, TResult>(Func<TArg, TResult> function, IAsyncEnumerable<TArg> items, IProgress<PoolProgress>? progress) =>
        new(items, JobsOf(function), progress);

    /// <summary>Makes the job of an array of items (all of them, or one window of a lazily read input).</summary>
    private static Func<TArg[], IProgress<PoolProgress>?, PoolJob<TResult>> JobsOf<TArg, TResult>(Func<TArg, TResult> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return (items, progress) => new LocalMapJob<TArg, TResult>(items, function, progress);
    }

    private static int ThrowIfNegative(int maxWorkers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxWorkers);
        return maxWorkers;
    }
}
