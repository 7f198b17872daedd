using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// What <see cref="ThreadPoolExecutor"/> and <see cref="ProcessPool"/> share: a fixed set of workers fed from one
/// queue, and the lifecycle <see cref="Close"/> → <see cref="Join(TimeSpan, CancellationToken)"/>,
/// <see cref="Shutdown"/>, <see cref="Terminate"/> and <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// Disposing a pool (a <c>using</c> block ending) waits for every task submitted to it, as Python's <c>with</c> does;
/// only <c>Shutdown(cancelPending: true)</c> and <see cref="Terminate"/> drop queued tasks, and those end as cancelled.
/// <para>
/// Errors of <c>Map</c>: every task runs (a failure does not stop the others); when the call ends, one or more failed
/// tasks make it throw an <see cref="AggregateException"/> whose inner exceptions are <see cref="PoolTaskException"/>s
/// in input order, each carrying the input index and the task's own exception. <c>MapUnordered</c> throws the
/// <see cref="PoolTaskException"/> of the first failed task it reaches and cancels the tasks not started yet.
/// </para>
/// </remarks>
public abstract partial class PoolExecutor : IDisposable, IAsyncDisposable
{
    private protected PoolExecutor(string name, PoolEngine engine)
    {
        Name = name;
        Engine = engine;
    }

    /// <summary>The pool's name; its workers are named after it.</summary>
    public string Name { get; }

    /// <summary>The number of workers the pool keeps running.</summary>
    public int MaxWorkers => Engine.Workers;

    /// <summary>Whether the pool accepts no more tasks (after <see cref="Close"/>, <see cref="Shutdown"/>, <see cref="Terminate"/> or <see cref="Dispose"/>).</summary>
    public bool IsClosed => Engine.IsClosed;

    private protected PoolEngine Engine { get; }

    /// <summary>How many single tasks went to a worker process through its shared-memory lane (for tests and benchmarks).</summary>
    internal long LaneTasks => Engine.LentTasks;

    /// <summary>Accepts no more tasks. Tasks already submitted still run; then the workers stop. Does not wait.</summary>
    public void Close() => Engine.Close();

    /// <summary>Waits until the pool is closed, every submitted task has ended and every worker has stopped.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="cancellationToken">Stops the wait (not the pool).</param>
    /// <returns><see langword="true"/> when the pool stopped in time.</returns>
    /// <exception cref="InvalidOperationException">The pool was not closed first (as in Python, <c>Join</c> follows <c>Close</c>).</exception>
    public bool Join(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ThrowIfOpen();
        ThrowIfOwnWorker(nameof(Join));
        return Engine.Stopped.Wait(timeout, cancellationToken);
    }

    /// <summary>Waits asynchronously until the pool is closed, every submitted task has ended and every worker has stopped.</summary>
    /// <param name="cancellationToken">Stops the wait (not the pool).</param>
    /// <exception cref="InvalidOperationException">The pool was not closed first.</exception>
    public Task JoinAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfOpen();
        return Engine.Stopped.WaitAsync(cancellationToken);
    }

    /// <summary>Closes the pool, like Python's <c>Executor.shutdown(wait, cancel_futures)</c>.</summary>
    /// <param name="wait">Block until every task still to run has ended and every worker has stopped.</param>
    /// <param name="cancelPending">
    /// Cancel the tasks still waiting in the queue (their <see cref="PoolTask{TResult}"/> ends as cancelled, a
    /// <c>Map</c> waiting for them throws <see cref="OperationCanceledException"/>); tasks already handed to a worker
    /// finish. Without it, every task submitted so far runs.
    /// </param>
    /// <exception cref="InvalidOperationException"><paramref name="wait"/> was asked from a task running on this pool (it would wait for itself).</exception>
    public void Shutdown(bool wait = true, bool cancelPending = false)
    {
        if (wait)
        {
            ThrowIfOwnWorker(nameof(Shutdown));
        }

        CloseCore(cancelPending);
        if (wait)
        {
            Engine.Stopped.Wait();
        }
    }

    /// <summary>The asynchronous <see cref="Shutdown"/> with <c>wait: true</c>: completes once every task still to run has ended and every worker has stopped.</summary>
    /// <param name="cancelPending">Cancel the tasks still waiting in the queue; tasks already handed to a worker finish.</param>
    public Task ShutdownAsync(bool cancelPending = false)
    {
        CloseCore(cancelPending);
        return Engine.Stopped;
    }

    /// <summary>
    /// Stops the pool now: tasks not started are cancelled, worker processes are killed (their running tasks fail
    /// as cancelled). A thread cannot be killed: a task running on a thread finishes, seeing its cancellation token.
    /// Does not wait; <see cref="Join(TimeSpan, CancellationToken)"/> waits for the workers to be gone.
    /// </summary>
    public void Terminate() => Engine.Terminate();

    /// <summary>
    /// <c>Shutdown(wait: true)</c>, as Python's <c>with</c> block ends: accepts no more tasks, runs every task already
    /// submitted, and returns once they have ended and no worker is left. Nothing submitted is lost; to drop the tasks
    /// still queued, call <c>Shutdown(cancelPending: true)</c> or <see cref="Terminate"/> first.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from a task running on this pool (it would wait for itself).</exception>
    public void Dispose()
    {
        Shutdown(wait: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The asynchronous <see cref="Dispose"/>: completes once every submitted task has ended and no worker is left.</summary>
    public async ValueTask DisposeAsync()
    {
        await ShutdownAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    private void CloseCore(bool cancelPending)
    {
        if (cancelPending)
        {
            Engine.CancelQueued();
        }

        Engine.Close();
    }

    private protected PoolTask<TResult> SubmitCore<TResult>(PoolJob<TResult> job, CancellationToken cancellationToken)
    {
        var task = new PoolTask<TResult>(job);
        Engine.Submit(job, 1, cancellationToken);
        return task;
    }

    private protected TResult[] MapCore<TResult>(PoolJob<TResult> job, int chunkSize, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var deadline = new PoolDeadline(timeout);
        Engine.Submit(job, ChunkSize(chunkSize, job.Count), cancellationToken);
        if (!deadline.Wait(job.Completion, cancellationToken))
        {
            job.Cancel();
            throw MapTimedOut(timeout);
        }

        return Collect(job, cancellationToken);
    }

    private protected async Task<TResult[]> MapCoreAsync<TResult>(PoolJob<TResult> job, int chunkSize, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var deadline = new PoolDeadline(timeout);
        Engine.Submit(job, ChunkSize(chunkSize, job.Count), cancellationToken);
        using (CancellationTokenSource wait = deadline.CreateLinkedSource(cancellationToken))
        {
            try
            {
                await job.Completion.WaitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                job.Cancel();
                throw MapTimedOut(timeout);
            }
        }

        return Collect(job, cancellationToken);
    }

    private protected IEnumerable<TResult> MapUnorderedCore<TResult>(PoolJob<TResult> job, int chunkSize, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var deadline = new PoolDeadline(timeout);
        ChannelReader<(int, Exception?)> ended = SubmitUnordered(job, chunkSize, cancellationToken);
        return ReadUnordered(job, ended, deadline, cancellationToken);
    }

    private protected IAsyncEnumerable<TResult> MapUnorderedCoreAsync<TResult>(PoolJob<TResult> job, int chunkSize, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var deadline = new PoolDeadline(timeout);
        ChannelReader<(int, Exception?)> ended = SubmitUnordered(job, chunkSize, cancellationToken);
        return ReadUnorderedAsync(job, ended, deadline, cancellationToken);
    }

    private int ChunkSize(int requested, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requested, "chunkSize");
        return requested > 0 ? requested : Engine.AutomaticChunkSize(count);
    }

    private ChannelReader<(int, Exception?)> SubmitUnordered(PoolJob job, int chunkSize, CancellationToken cancellationToken)
    {
        Channel<(int, Exception?)> ended = Channel.CreateUnbounded<(int, Exception?)>(new UnboundedChannelOptions { SingleReader = true });
        job.TaskEnded = (position, error) => ended.Writer.TryWrite((position, error));
        Engine.Submit(job, ChunkSize(chunkSize, job.Count), cancellationToken);
        return ended.Reader;
    }

    private static IEnumerable<TResult> ReadUnordered<TResult>(PoolJob<TResult> job, ChannelReader<(int, Exception?)> ended, PoolDeadline deadline, CancellationToken cancellationToken)
    {
        try
        {
            for (int i = 0; i < job.Count; i++)
            {
                int left = job.Count - i;
                (int position, Exception? error) = deadline.ReadBlocking(ended, () => DescribeTimeout(left, job.Count), cancellationToken);
                yield return ResultOrThrow(job, position, error, cancellationToken);
            }
        }
        finally
        {
            // An enumeration that stops early (break, exception, timeout) stops dispatching the rest.
            job.Cancel();
        }
    }

    private static async IAsyncEnumerable<TResult> ReadUnorderedAsync<TResult>(
        PoolJob<TResult> job,
        ChannelReader<(int, Exception?)> ended,
        PoolDeadline deadline,
        CancellationToken callToken,
        [EnumeratorCancellation] CancellationToken enumerationToken = default)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(callToken, enumerationToken);
        using CancellationTokenSource wait = deadline.CreateLinkedSource(cancellation.Token);
        try
        {
            for (int i = 0; i < job.Count; i++)
            {
                (int Position, Exception? Error) next;
                try
                {
                    next = await ended.ReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    throw new TimeoutException(DescribeTimeout(job.Count - i, job.Count));
                }

                yield return ResultOrThrow(job, next.Position, next.Error, cancellation.Token);
            }
        }
        finally
        {
            job.Cancel();
        }
    }

    private static TResult ResultOrThrow<TResult>(PoolJob<TResult> job, int position, Exception? error, CancellationToken cancellationToken, int? inputIndex = null)
    {
        if (error is null)
        {
            return job.Results[position];
        }

        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfBroken(error);
        if (error is OperationCanceledException && job.IsCancellationRequested)
        {
            throw new OperationCanceledException("The pool was shut down before every task ran.", error);
        }

        throw new PoolTaskException(inputIndex ?? position, error);
    }

    private static TResult[] Collect<TResult>(PoolJob<TResult> job, CancellationToken cancellationToken) =>
        Collect(job.Results, job.Errors, job.Count, job.IsCancellationRequested, cancellationToken);

    /// <summary>The results of a map, or its failures in input order (<paramref name="errors"/> ascending by input index).</summary>
    private static TResult[] Collect<TResult>(TResult[] results, IReadOnlyCollection<KeyValuePair<int, Exception>> errors, long count, bool cancelled, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (errors.Count == 0)
        {
            return results;
        }

        KeyValuePair<int, Exception> first = errors.First();
        ThrowIfBroken(first.Value);
        if (cancelled && errors.Any(static error => error.Value is OperationCanceledException))
        {
            throw new OperationCanceledException("The pool was shut down before every task ran.");
        }

        throw new AggregateException(
            $"{errors.Count} of {count} tasks failed; the first at input index {first.Key}: {first.Value.Message}",
            errors.Select(static error => new PoolTaskException(error.Key, error.Value)));
    }

    /// <summary>A task failed because the pool is broken: that is the call's error, not one task's.</summary>
    private static void ThrowIfBroken(Exception error)
    {
        if (error is BrokenPoolException broken)
        {
            throw new BrokenPoolException(broken.Message, broken.InnerException);
        }
    }

    private static TimeoutException MapTimedOut(TimeSpan? timeout) =>
        new($"The map did not finish within {timeout}; its remaining tasks were cancelled.");

    private static string DescribeTimeout(int left, int count) =>
        $"{left} of {count} tasks had not ended in time; the remaining tasks were cancelled.";

    /// <summary>A worker thread that waits for its own pool to stop would wait for ever.</summary>
    private void ThrowIfOwnWorker(string call)
    {
        if (ThreadPoolWorker.CurrentPoolName == Name)
        {
            throw new InvalidOperationException(
                $"{call} was called from a task running on a worker of '{Name}': it would wait for that task, that is, for ever. " +
                "Wait for the pool outside its own tasks, or use Shutdown(wait: false).");
        }
    }

    private void ThrowIfOpen()
    {
        if (!IsClosed)
        {
            throw new InvalidOperationException("Join waits for the end of the pool: call Close() (or Shutdown) first.");
        }
    }
}
