using System;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>A map over an array of items with a delegate, run on the threads of this process.</summary>
internal sealed class LocalMapJob<TArg, TResult>(TArg[] items, Func<TArg, TResult> function, IProgress<PoolProgress>? progress)
    : PoolJob<TResult>(items.Length, progress), ILocalPoolWork
{
    public void Run(int position) => Results[position] = function(items[position]);
}

/// <summary>One call of a delegate, run on a thread of this process; the delegate sees the job's cancellation.</summary>
internal sealed class LocalCallJob<TResult>(Func<CancellationToken, TResult> function) : PoolJob<TResult>(1, null), ILocalPoolWork
{
    public void Run(int position) => Results[position] = function(CancellationToken);
}

/// <summary>Runs chunks of <see cref="ILocalPoolWork"/> jobs under the <see cref="IPoolWorker"/> contract.</summary>
internal static class LocalChunkRunner
{
    public static void Run(PoolChunk chunk)
    {
        if (chunk.Job is not ILocalPoolWork work)
        {
            throw new InvalidOperationException($"A thread worker cannot run a {chunk.Job.GetType().Name}: it runs only delegates of this process.");
        }

        while (chunk.TryStartNext())
        {
            Exception? error = null;
            try
            {
                work.Run(chunk.NextPosition);
            }
            catch (Exception ex)
            {
                error = ex;
            }

            chunk.ReportNext(error);
        }
    }
}

/// <summary>
/// A worker that is the engine's slot thread itself, like a thread of Python's <c>ThreadPoolExecutor</c>: the slot
/// that takes a chunk runs it on its own thread, so a task costs no hand-off between threads. The engine starts a
/// worker on the slot thread that will run it, which takes the worker's name. A thread cannot be killed:
/// <c>abort</c> is ignored and a running task always finishes; cancellation reaches it through the job's token.
/// </summary>
internal sealed class ThreadPoolWorker : IPoolWorker
{
    [ThreadStatic]
    private static string? t_poolName;

    private readonly string _poolName;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ThreadPoolWorker(string poolName, string name)
    {
        _poolName = poolName;
        Name = name;
        Thread.CurrentThread.Name = name;
    }

    /// <summary>The name of the pool whose worker thread is calling, or <see langword="null"/>.</summary>
    public static string? CurrentPoolName => t_poolName;

    public string Name { get; }

    public int? ProcessId => null;

    public Task Exited => _exited.Task;

    public ValueTask RunAsync(PoolChunk chunk, CancellationToken abort)
    {
        t_poolName = _poolName;
        try
        {
            LocalChunkRunner.Run(chunk);
            return ValueTask.CompletedTask;
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }
        finally
        {
            t_poolName = null;
        }
    }

    public ValueTask DisposeAsync()
    {
        _exited.TrySetResult();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Starts <see cref="ThreadPoolWorker"/>s named <c>{pool}_{number}</c>.</summary>
internal sealed class ThreadPoolWorkerFactory(string poolName) : IPoolWorkerFactory
{
    public ValueTask<IPoolWorker> StartAsync(int number, CancellationToken cancellationToken) =>
        new(new ThreadPoolWorker(poolName, $"{poolName}_{number}"));
}
