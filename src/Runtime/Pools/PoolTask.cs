using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// The future of one task submitted to a pool, like Python's <c>concurrent.futures.Future</c>: wait for it with a
/// timeout, await it, read its result or exception, or cancel it while it has not started.
/// </summary>
/// <typeparam name="T">The task's result type.</typeparam>
public sealed class PoolTask<T>
{
    private readonly PoolJob<T> _job;
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<Action>? _onEnded = [];

    internal PoolTask(PoolJob<T> job)
    {
        _job = job;
        job.TaskEnded = (_, error) =>
        {
            // Callbacks first: whoever sees the task complete (Wait, Result) must also find it already handed to
            // AsCompleted, so completion order is the order AsCompleted yields.
            RunEndedCallbacks();
            if (error is null)
            {
                _completion.TrySetResult(job.Results[0]);
            }
            else if (error is OperationCanceledException canceled)
            {
                _completion.TrySetCanceled(canceled.CancellationToken);
            }
            else
            {
                _completion.TrySetException(error);
            }
        };
    }

    /// <summary>Whether the task has ended: succeeded, failed or cancelled.</summary>
    public bool IsCompleted => _completion.Task.IsCompleted;

    /// <summary>Whether the task was cancelled.</summary>
    public bool IsCancelled => _completion.Task.IsCanceled;

    /// <summary>Whether a worker has started the task and it has not ended yet.</summary>
    public bool IsRunning => _job.HasStarted && !IsCompleted;

    /// <summary>The exception the task ended with, or <see langword="null"/> while it runs, when it succeeded or was cancelled.</summary>
    public Exception? Exception => _completion.Task.IsFaulted ? _completion.Task.Exception!.InnerException : null;

    /// <summary>
    /// The task's result: blocks until the task has ended. Rethrows the task's exception with its original stack
    /// trace; throws <see cref="OperationCanceledException"/> when the task was cancelled.
    /// </summary>
    public T Result
    {
        get
        {
            SpinBriefly(SpinTicks);
            return _completion.Task.GetAwaiter().GetResult();
        }
    }

    /// <summary>Blocks until the task has ended and returns its result, giving up after <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">The task did not end in time (it keeps running).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled, or the task was.</exception>
    public T GetResult(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (!Wait(timeout, cancellationToken))
        {
            throw new TimeoutException($"The task did not end within {timeout}.");
        }

        return Result;
    }

    /// <summary>Blocks until the task has ended or <paramref name="timeout"/> has passed; does not throw the task's exception.</summary>
    /// <returns><see langword="true"/> when the task has ended.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            // The spin counts against the timeout (a zero timeout polls, it does not spin); an invalid timeout or a
            // cancelled token goes straight to the wait, which reports it.
            bool infinite = timeout == Timeout.InfiniteTimeSpan;
            if ((timeout < TimeSpan.Zero && !infinite) || cancellationToken.IsCancellationRequested)
            {
                return ((Task)_completion.Task).Wait(timeout, cancellationToken);
            }

            TimeSpan spun = SpinBriefly(infinite || timeout >= SpinTime ? SpinTicks : (long)(timeout.TotalSeconds * Stopwatch.Frequency));
            TimeSpan left = infinite ? timeout : timeout - spun;
            return ((Task)_completion.Task).Wait(!infinite && left < TimeSpan.Zero ? TimeSpan.Zero : left, cancellationToken);
        }
        catch (AggregateException)
        {
            return true;
        }
    }

    /// <summary>Attempts to cancel the task. Like Python, only a task that has not started can be cancelled.</summary>
    /// <returns><see langword="true"/> when the task is cancelled (now or before); <see langword="false"/> when it runs or has ended.</returns>
    public bool Cancel()
    {
        if (IsCancelled)
        {
            return true;
        }

        if (IsCompleted || !_job.TryCancelBeforeStart())
        {
            return false;
        }

        bool cancelled = _completion.TrySetCanceled(_job.CancellationToken) || IsCancelled;
        RunEndedCallbacks();
        return cancelled;
    }

    /// <summary>The task as a <see cref="Task{TResult}"/>.</summary>
    public Task<T> AsTask() => _completion.Task;

    /// <summary>Waits asynchronously for the result.</summary>
    /// <param name="cancellationToken">Stops the wait (not the task).</param>
    public Task<T> WaitAsync(CancellationToken cancellationToken = default) => _completion.Task.WaitAsync(cancellationToken);

    /// <summary>Lets the future be awaited: <c>int n = await pool.Submit(Count);</c></summary>
    public TaskAwaiter<T> GetAwaiter() => _completion.Task.GetAwaiter();

    /// <summary>
    /// How long a blocking wait watches for the end of the task before it sleeps. A task of a warm process pool
    /// takes a few microseconds there and back through a worker's lane; a caller still watching collects it itself,
    /// without being woken by the pool's thread (a wake-up costs ten times as much). A caller of a long task pays
    /// this once, yielding the core to any thread that needs it.
    /// </summary>
    private static readonly TimeSpan SpinTime = TimeSpan.FromMicroseconds(100);

    private static readonly long SpinTicks = (long)(SpinTime.TotalSeconds * Stopwatch.Frequency);

    /// <summary>
    /// Watches for the end of the task for at most <paramref name="limit"/> Stopwatch ticks; returns how long it watched.
    /// A task lent to a worker's lane is collected by this thread as soon as the worker publishes it: nobody has to
    /// wake the caller. While it watches, the worker does not ring the pool's slot thread either.
    /// </summary>
    private TimeSpan SpinBriefly(long limit)
    {
        long start = Stopwatch.GetTimestamp();
        var spinner = default(SpinWait);
        PoolSlotLease? lease = null;
        IDirectPoolWorker? watched = null;
        try
        {
            while (!_completion.Task.IsCompleted && Stopwatch.GetTimestamp() - start < limit)
            {
                // A task queued while every worker was busy may be lent by a slot thread while this one watches.
                if (lease is null && _job.Lease is { } lent)
                {
                    lease = lent;
                    watched = BeginWatch(lent);
                }

                if (lease is null || !lease.Engine.TryCollect(lease))
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }
            }
        }
        finally
        {
            if (watched is not null)
            {
                // Stopped watching, then look once more: a result published while the worker saw this thread
                // watching rang no bell, so it is collected here.
                watched.EndWatch();
                lease!.Engine.TryCollect(lease);
                watched.ExitLane();
            }
        }

        return Stopwatch.GetElapsedTime(start);
    }

    private static IDirectPoolWorker? BeginWatch(PoolSlotLease lease)
    {
        if (lease.Worker is not { } worker || !worker.TryEnterLane())
        {
            return null;
        }

        worker.BeginWatch();
        return worker;
    }

    /// <summary>Runs <paramref name="callback"/> on the thread that ends the task, right after it ends (now, if it has).</summary>
    internal void OnEnded(Action callback)
    {
        lock (_completion)
        {
            if (_onEnded is not null)
            {
                _onEnded.Add(callback);
                return;
            }
        }

        callback();
    }

    private void RunEndedCallbacks()
    {
        List<Action>? callbacks;
        lock (_completion)
        {
            callbacks = _onEnded;
            _onEnded = null;
        }

        callbacks?.ForEach(static callback => callback());
    }
}

/// <summary>Helpers over several <see cref="PoolTask{T}"/>s, like Python's <c>concurrent.futures.as_completed</c>.</summary>
public static class PoolTask
{
    /// <summary>Yields the tasks as they end (succeeded, failed or cancelled), blocking between them.</summary>
    /// <param name="tasks">The tasks to watch; duplicates are yielded once.</param>
    /// <param name="timeout">The time allowed for all of them, counted from this call; <see langword="null"/> for no limit.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <exception cref="TimeoutException">Some tasks had not ended when <paramref name="timeout"/> passed.</exception>
    public static IEnumerable<PoolTask<T>> AsCompleted<T>(IEnumerable<PoolTask<T>> tasks, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        PoolTask<T>[] distinct = [.. tasks.Distinct()];
        Channel<PoolTask<T>> ended = Channel.CreateUnbounded<PoolTask<T>>();
        foreach (PoolTask<T> task in distinct)
        {
            task.OnEnded(() => ended.Writer.TryWrite(task));
        }

        return ReadEnded(ended.Reader, distinct.Length, timeout, cancellationToken);
    }

    /// <summary>Yields the tasks as they end (succeeded, failed or cancelled).</summary>
    /// <param name="tasks">The tasks to watch; duplicates are yielded once.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    public static async IAsyncEnumerable<PoolTask<T>> AsCompletedAsync<T>(IEnumerable<PoolTask<T>> tasks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        Dictionary<Task<T>, PoolTask<T>> byTask = tasks.Distinct().ToDictionary(task => task.AsTask());
        await foreach (Task<T> ended in Task.WhenEach(byTask.Keys).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return byTask[ended];
        }
    }

    private static IEnumerable<PoolTask<T>> ReadEnded<T>(ChannelReader<PoolTask<T>> ended, int count, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var deadline = new PoolDeadline(timeout);
        for (int i = 0; i < count; i++)
        {
            yield return deadline.ReadBlocking(ended, () => $"{count - i} of {count} tasks had not ended within {timeout}.", cancellationToken);
        }
    }
}
