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
/// A worker that is a dedicated thread of this process, like a thread of Python's <c>ThreadPoolExecutor</c>.
/// A thread cannot be killed: <c>abort</c> is ignored and a running task always finishes; cancellation reaches it
/// through the job's token.
/// </summary>
internal sealed class ThreadPoolWorker : IPoolWorker
{
    [ThreadStatic]
    private static string? t_poolName;

    private readonly SemaphoreSlim _wake = new(0);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PoolChunk? _chunk;
    private TaskCompletionSource? _chunkDone;
    private volatile bool _stopping;

    public ThreadPoolWorker(string poolName, string name)
    {
        Name = name;
        var thread = new Thread(() =>
        {
            t_poolName = poolName;
            Loop();
        })
        {
            Name = name,
            IsBackground = true,
        };
        thread.Start();
    }

    /// <summary>The name of the pool whose worker thread is calling, or <see langword="null"/>.</summary>
    public static string? CurrentPoolName => t_poolName;

    public string Name { get; }

    public int? ProcessId => null;

    public Task Exited => _exited.Task;

    public ValueTask RunAsync(PoolChunk chunk, CancellationToken abort)
    {
        // The engine's slot thread blocks on the returned task; completing it wakes that thread directly.
        var done = new TaskCompletionSource();
        _chunk = chunk;
        _chunkDone = done;
        _wake.Release();
        return new ValueTask(done.Task);
    }

    public ValueTask DisposeAsync()
    {
        _stopping = true;
        _wake.Release();
        return new ValueTask(_exited.Task);
    }

    private void Loop()
    {
        try
        {
            while (true)
            {
                _wake.Wait();
                if (_stopping)
                {
                    return;
                }

                PoolChunk chunk = _chunk!;
                TaskCompletionSource done = _chunkDone!;
                _chunk = null;
                _chunkDone = null;
                try
                {
                    LocalChunkRunner.Run(chunk);
                    done.SetResult();
                }
                catch (Exception ex)
                {
                    done.SetException(ex);
                }
            }
        }
        finally
        {
            _wake.Dispose();
            _exited.SetResult();
        }
    }
}

/// <summary>Starts <see cref="ThreadPoolWorker"/>s named <c>{pool}_{number}</c>.</summary>
internal sealed class ThreadPoolWorkerFactory(string poolName) : IPoolWorkerFactory
{
    public ValueTask<IPoolWorker> StartAsync(int number, CancellationToken cancellationToken) =>
        new(new ThreadPoolWorker(poolName, $"{poolName}_{number}"));
}
