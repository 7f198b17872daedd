using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

// The forms for work that returns nothing, like Python's executor.submit(print_report) and pool.map(log, items).
public sealed partial class ThreadPoolExecutor
{
    /// <summary>Runs <paramref name="action"/> on a worker thread.</summary>
    /// <returns>A task whose <see cref="PoolTask{T}.Result"/> is <see langword="null"/> (Python's <c>None</c>) once the action ran; <c>Wait</c>, <c>await</c> and <c>Exception</c> work as for any task.</returns>
    /// <exception cref="InvalidOperationException">The pool is closed (<see cref="BrokenPoolException"/>: broken).</exception>
    public PoolTask<object?> Submit(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Submit(() =>
        {
            action();
            return (object?)null;
        });
    }

    /// <summary>Runs the asynchronous <paramref name="action"/> on a worker thread, which it holds until it completes.</summary>
    /// <returns>A task whose <see cref="PoolTask{T}.Result"/> is <see langword="null"/> once the action completed.</returns>
    /// <exception cref="InvalidOperationException">The pool is closed (<see cref="BrokenPoolException"/>: broken).</exception>
    public PoolTask<object?> Submit(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Submit(() =>
        {
            action().GetAwaiter().GetResult();
            return (object?)null;
        });
    }

    /// <summary>
    /// Runs <paramref name="action"/> on every item on the pool's threads and returns when all have run, like
    /// Python's <c>pool.map(log, items)</c> with a function that returns nothing.
    /// </summary>
    /// <exception cref="AggregateException">Tasks failed: one <see cref="PoolTaskException"/> per failed item, in input order; every other item still ran.</exception>
    /// <exception cref="TimeoutException"><paramref name="timeout"/> passed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled or the pool terminated.</exception>
    public void Map<TArg>(
        Action<TArg> action,
        IEnumerable<TArg> items,
        int chunkSize = 0,
        IProgress<PoolProgress>? progress = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        Map(Returning(action), items, chunkSize, progress, timeout, cancellationToken);

    /// <summary>The asynchronous <see cref="Map{TArg}(Action{TArg}, IEnumerable{TArg}, int, IProgress{PoolProgress}?, TimeSpan?, CancellationToken)"/>: completes when every item has run.</summary>
    public Task MapAsync<TArg>(
        Action<TArg> action,
        IEnumerable<TArg> items,
        int chunkSize = 0,
        IProgress<PoolProgress>? progress = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        MapAsync(Returning(action), items, chunkSize, progress, timeout, cancellationToken);

    /// <summary>Python's <c>starmap</c> for an action of two arguments: returns when every item has run.</summary>
    public void StarMap<T1, T2>(
        Action<T1, T2> action,
        IEnumerable<(T1, T2)> items,
        int chunkSize = 0,
        IProgress<PoolProgress>? progress = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        Map<(T1, T2)>(arguments => action(arguments.Item1, arguments.Item2), items, chunkSize, progress, timeout, cancellationToken);
    }

    private static Func<TArg, bool> Returning<TArg>(Action<TArg> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return item =>
        {
            action(item);
            return true;
        };
    }
}
