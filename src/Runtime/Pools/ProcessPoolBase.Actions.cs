using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

// The forms for [RunInProcess] methods that return nothing, like Python's pool.map(log, items) with a function that
// only prints: the call returns once every item has run in a worker.
public abstract partial class ProcessPoolBase
{
    /// <summary>
    /// Runs a <see langword="void"/> <see cref="RunInProcessAttribute"/> method on every item in the worker processes
    /// and returns when all have run (Python's <c>pool.map</c> of a function that returns nothing).
    /// </summary>
    /// <param name="action">A <see cref="RunInProcessAttribute"/> method of one parameter that returns nothing, by name.</param>
    /// <param name="items">The inputs; read completely before the first task starts.</param>
    /// <param name="chunkSize">Items handed to a worker at a time; 0 for ceil(items / (workers × 4)).</param>
    /// <param name="progress">Receives the number of ended tasks (at most about 1,000 reports per call).</param>
    /// <param name="timeout">The time allowed for the whole call; when it passes, the tasks not started are cancelled.</param>
    /// <param name="cancellationToken">Cancels the tasks not started yet and the wait.</param>
    /// <exception cref="AggregateException">Tasks failed: one <see cref="PoolTaskException"/> per failed item, in input order; every other item still ran.</exception>
    /// <exception cref="InvalidOperationException">The call was not bound to a generated descriptor (see the message).</exception>
    public void Map<TArg>(Action<TArg> action, IEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        throw NotIntercepted(action, nameof(Map));

    /// <summary>The form of <see cref="Map{TArg}(Action{TArg}, IEnumerable{TArg}, int, IProgress{PoolProgress}?, TimeSpan?, CancellationToken)"/> the generator binds to.</summary>
    public void Map<TArg>(ProcessAction<TArg> action, IEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        _ = Map(action.Function, items, chunkSize, progress, timeout, cancellationToken);
    }

    /// <summary>The asynchronous Map of a <see langword="void"/> method: completes when every item has run.</summary>
    /// <exception cref="InvalidOperationException">The call was not bound to a generated descriptor (see the message).</exception>
    public Task MapAsync<TArg>(Action<TArg> action, IEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        throw NotIntercepted(action, nameof(MapAsync));

    /// <summary>The form of the asynchronous Map of a <see langword="void"/> method the generator binds to.</summary>
    public Task MapAsync<TArg>(ProcessAction<TArg> action, IEnumerable<TArg> items, int chunkSize = 0, IProgress<PoolProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return MapAsync(action.Function, items, chunkSize, progress, timeout, cancellationToken);
    }

    /// <summary>Runs a <see langword="void"/> <see cref="RunInProcessAttribute"/> method on <paramref name="argument"/> in a worker process.</summary>
    /// <returns>A task whose <see cref="PoolTask{T}.Result"/> is <see langword="null"/> (Python's <c>None</c>) once the method ran; <c>Wait</c>, <c>await</c> and <c>Exception</c> work as for any task.</returns>
    /// <exception cref="InvalidOperationException">The call was not bound to a generated descriptor (see the message).</exception>
    public PoolTask<object?> Submit<TArg>(Action<TArg> action, TArg argument, CancellationToken cancellationToken = default) =>
        throw NotIntercepted(action, nameof(Submit));

    /// <summary>The form of Submit of a <see langword="void"/> method the generator binds to.</summary>
    /// <exception cref="InvalidOperationException">The pool is closed (<see cref="BrokenPoolException"/>: broken).</exception>
    public PoolTask<object?> Submit<TArg>(ProcessAction<TArg> action, TArg argument, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Submit(action.Function, argument, cancellationToken);
    }
}
