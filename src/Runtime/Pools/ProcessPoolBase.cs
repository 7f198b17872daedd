using System.Collections.Generic;
using System.Threading.Tasks;
using System.Threading;
using System;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl;

/// <summary>
/// The API of every pool that runs <see cref="RunInProcessAttribute"/> methods in other processes, declared once:
/// <c>Map</c>, <c>MapAsync</c>, <c>MapUnordered</c>, <c>MapUnorderedAsync</c>, <c>StarMap</c> and <c>Submit</c>, each
/// in the form user code calls (a method group) and the form the source generator redirects it to (the method's
/// generated descriptor). <see cref="ProcessPool"/> runs the tasks in warm worker processes of this machine; every
/// pool of this kind shares the same scheduling engine, so the same call behaves the same on each.
/// </summary>
/// <remarks>
/// User code does not derive from this type; it names it only to accept any such pool. The generator redirects a call
/// on a receiver of this type or of any type derived from it.
/// </remarks>
public abstract partial class ProcessPoolBase : PoolExecutor
{
    /// <summary>A pool whose engine starts its workers with <paramref name="workers"/>.</summary>
    /// <param name="name">The pool's name; its workers are named after it.</param>
    /// <param name="workers">Starts the pool's workers: local processes, or a transport's remote ones.</param>
    /// <param name="options">How the engine runs them; its constructor checks the values.</param>
    private protected ProcessPoolBase(string name, IPoolWorkerFactory workers, PoolEngineOptions options)
        : base(name, new PoolEngine(workers, options))
    {
    }

    /// <summary>Applies a <see cref="RunInProcessAttribute"/> method to every item in the worker processes; results in input order.</summary>
    /// <param name="function">A <see cref="RunInProcessAttribute"/> method, by name.</param>
    /// <param name="items">The inputs; read completely before the first task starts, or lazily as tasks end when the pool has <c>maxActiveTasks</c>.</param>
    /// <param name="chunkSize">Items handed to a worker at a time; 0 for ceil(items / (workers × 4)).</param>
    /// <param name="progress">Receives the number of ended tasks (at most about 1,000 reports per call).</param>
    /// <param name="timeout">The time allowed for the whole call; when it passes, the tasks not started are cancelled.</param>
    /// <param name="cancellationToken">Cancels the tasks not started yet and the wait.</param>
    /// <exception cref="AggregateException">Tasks failed: one <see cref="PoolTaskException"/> per failed item, in input order.</exception>
    /// <exception cref="InvalidOperationException">The call was not bound to a generated descriptor (see the message).</exception>
    public TResult[] Map<TArg, TResult>(Func<TArg, TResult> function, IEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        throw NotIntercepted(function, nameof(Map));

    /// <summary>The form of <see cref="Map{TArg, TResult}(Func{TArg, TResult}, IEnumerable{TArg}, int, IProgress{PoolProgress}?, TimeSpan?, CancellationToken)"/> the generator binds to.</summary>
    public TResult[] Map<TArg, TResult>(ProcessFunction<TArg, TResult> function, IEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        MapCore(CreateJob(function, items, progress), chunkSize, timeout, cancellationToken);

    /// <summary>The asynchronous Map.</summary>
    /// <exception cref="InvalidOperationException">The call was not bound to a generated descriptor (see the message).</exception>
    public Task<TResult[]> MapAsync<TArg, TResult>(Func<TArg, TResult> function, IEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        throw NotIntercepted(function, nameof(MapAsync));

    /// <summary>The form of MapAsync the generator binds to.</summary>
    public Task<TResult[]> MapAsync<TArg, TResult>(ProcessFunction<TArg, TResult> function, IEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        MapCoreAsync(CreateJob(function, items, progress), chunkSize, timeout, cancellationToken);

    /// <summary>
    /// Applies a <see cref="RunInProcessAttribute"/> method to every item and yields each result as soon as its task
    /// ends. All tasks are queued by this call (with the pool's <c>maxActiveTasks</c>: read lazily once the enumeration
    /// starts, at most that many in flight); stopping the enumeration early cancels the ones not started.
    /// </summary>
    /// <exception cref="InvalidOperationException">The call was not bound to a generated descriptor (see the message).</exception>
    public IEnumerable<TResult> MapUnordered<TArg, TResult>(Func<TArg, TResult> function, IEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        throw NotIntercepted(function, nameof(MapUnordered));

    /// <summary>The form of MapUnordered the generator binds to.</summary>
    public IEnumerable<TResult> MapUnordered<TArg, TResult>(ProcessFunction<TArg, TResult> function, IEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        MapUnorderedCore(CreateJob(function, items, progress), chunkSize, timeout, cancellationToken);

    /// <summary>The asynchronous MapUnordered.</summary>
    /// <exception cref="InvalidOperationException">The call was not bound to a generated descriptor (see the message).</exception>
    public IAsyncEnumerable<TResult> MapUnorderedAsync<TArg, TResult>(Func<TArg, TResult> function, IEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        throw NotIntercepted(function, nameof(MapUnorderedAsync));

    /// <summary>The form of MapUnorderedAsync the generator binds to.</summary>
    public IAsyncEnumerable<TResult> MapUnorderedAsync<TArg, TResult>(ProcessFunction<TArg, TResult> function, IEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        MapUnorderedCoreAsync(CreateJob(function, items, progress), chunkSize, timeout, cancellationToken);

    /// <summary>
    /// MapAsync over an asynchronous sequence, read lazily: at most the pool's <c>maxActiveTasks</c> items (65,536 when
    /// it sets none) are read and not yet returned. Results in input order; the result array is the only memory that
    /// grows with the input.
    /// </summary>
    /// <exception cref="InvalidOperationException">The call was not bound to a generated descriptor (see the message).</exception>
    public Task<TResult[]> MapAsync<TArg, TResult>(Func<TArg, TResult> function, IAsyncEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        throw NotIntercepted(function, nameof(MapAsync));

    /// <summary>The form of MapAsync over an asynchronous sequence the generator binds to.</summary>
    public Task<TResult[]> MapAsync<TArg, TResult>(ProcessFunction<TArg, TResult> function, IAsyncEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        MapCoreAsync(CreateJob(function, items, progress), chunkSize, timeout, cancellationToken);

    /// <summary>
    /// MapUnorderedAsync over an asynchronous sequence, read lazily as results are taken: at most the pool's
    /// <c>maxActiveTasks</c> items (65,536 when it sets none) are read and not yet returned, so an endless sequence runs
    /// in bounded memory. Stopping the enumeration cancels the tasks in flight and disposes the sequence's enumerator.
    /// </summary>
    /// <exception cref="InvalidOperationException">The call was not bound to a generated descriptor (see the message).</exception>
    public IAsyncEnumerable<TResult> MapUnorderedAsync<TArg, TResult>(Func<TArg, TResult> function, IAsyncEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        throw NotIntercepted(function, nameof(MapUnorderedAsync));

    /// <summary>The form of MapUnorderedAsync over an asynchronous sequence the generator binds to.</summary>
    public IAsyncEnumerable<TResult> MapUnorderedAsync<TArg, TResult>(ProcessFunction<TArg, TResult> function, IAsyncEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        MapUnorderedCoreAsync(CreateJob(function, items, progress), chunkSize, timeout, cancellationToken);

    /// <summary>Python's <c>starmap</c>: each item holds the arguments of one call of a two-parameter method.</summary>
    /// <exception cref="InvalidOperationException">The call was not bound to a generated descriptor (see the message).</exception>
    public TResult[] StarMap<T1, T2, TResult>(Func<T1, T2, TResult> function, IEnumerable<(T1, T2)> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        throw NotIntercepted(function, nameof(StarMap));

    /// <summary>Python's <c>starmap</c> for three parameters.</summary>
    /// <exception cref="InvalidOperationException">The call was not bound to a generated descriptor (see the message).</exception>
    public TResult[] StarMap<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> function, IEnumerable<(T1, T2, T3)> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        throw NotIntercepted(function, nameof(StarMap));

    /// <summary>The form of StarMap the generator binds to: the descriptor of a method of several parameters takes them as one tuple.</summary>
    public TResult[] StarMap<TArgs, TResult>(ProcessFunction<TArgs, TResult> function, IEnumerable<TArgs> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where TArgs : struct, System.Runtime.CompilerServices.ITuple =>
        Map(function, items, chunkSize, progress, timeout, cancellationToken);

    /// <summary>Runs a <see cref="RunInProcessAttribute"/> method on <paramref name="argument"/> in a worker process.</summary>
    /// <exception cref="InvalidOperationException">The call was not bound to a generated descriptor (see the message).</exception>
    public PoolTask<TResult> Submit<TArg, TResult>(Func<TArg, TResult> function, TArg argument, CancellationToken cancellationToken = default) =>
        throw NotIntercepted(function, nameof(Submit));

    /// <summary>The form of Submit the generator binds to.</summary>
    /// <exception cref="InvalidOperationException">The pool is closed (<see cref="BrokenPoolException"/>: broken).</exception>
    public PoolTask<TResult> Submit<TArg, TResult>(ProcessFunction<TArg, TResult> function, TArg argument, CancellationToken cancellationToken = default) =>
        SubmitCore(new ProcessMapJob<TArg, TResult>([argument], function ?? throw new ArgumentNullException(nameof(function)), progress: null), cancellationToken);

    internal static InvalidOperationException NotIntercepted(Delegate? method, string call)
    {
        if (method is not null && ReturnsTask(method.Method.ReturnType))
        {
            return new InvalidOperationException(
                $"{call} was called with '{method!.Method.DeclaringType?.Name}.{method.Method.Name}', which returns a task. A pool's worker runs one task at a time to completion, " +
                "so pools take [RunInProcess] methods that return their value directly: make the method synchronous, or start it with its generated Start launcher.");
        }

        string target = method is null ? "the method"
            : method.Method.Name.Contains('<', StringComparison.Ordinal) ? "a lambda"
            : $"'{method.Method.DeclaringType?.Name}.{method.Method.Name}'";
        return new InvalidOperationException(
            $"{call} was called with {target}, which the ParallelDsl source generator did not bind to a process method. " +
            "A process pool runs only [RunInProcess] methods passed by name (a method group, not a lambda or a delegate variable): " +
            "mark the method [RunInProcess] in a partial type, pass it by name, and let the ParallelDsl generator see the call. " +
            "For work that may stay in this process, use ThreadPoolExecutor.");
    }

    private static bool ReturnsTask(Type type) =>
        typeof(Task).IsAssignableFrom(type)
        || type == typeof(ValueTask)
        || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>));

    private static PoolMapInput<TArg, TResult> CreateJob<TArg, TResult>(ProcessFunction<TArg, TResult> function, IEnumerable<TArg> items, IProgress<PoolProgress>? progress) =>
        new(items, JobsOf(function), progress);

    private static PoolMapInput<TArg, TResult> CreateJob<TArg, TResult>(ProcessFunction<TArg, TResult> function, IAsyncEnumerable<TArg> items, IProgress<PoolProgress>? progress) =>
        new(items, JobsOf(function), progress);

    /// <summary>Makes the job of an array of items (all of them, or one window of a lazily read input).</summary>
    private static Func<TArg[], IProgress<PoolProgress>?, PoolJob<TResult>> JobsOf<TArg, TResult>(ProcessFunction<TArg, TResult> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return (items, progress) => new ProcessMapJob<TArg, TResult>(items, function, progress);
    }
}
