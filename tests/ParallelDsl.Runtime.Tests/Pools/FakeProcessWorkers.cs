using System.Buffers;
using System.Collections.Concurrent;
using ParallelDsl;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// A test double for worker processes: each "process" is a thread that runs tasks through the same encoded path a
/// real worker uses (arguments encoded, the dispatch table's invoker, the result decoded) and can die like a process
/// (a simulated crash from inside a task, or a kill from outside). It tests the pool engine, not real processes.
/// </summary>
internal sealed class FakeWorkerFactory(string poolName) : IPoolWorkerFactory
{
    private readonly ConcurrentQueue<FakeProcessWorker> _started = new();
    private static int s_pids = 40_000;

    /// <summary>Makes <see cref="StartAsync"/> fail, like a worker program that cannot start.</summary>
    public Exception? StartFailure { get; set; }

    /// <summary>Makes every worker die right after it starts, like a worker program that exits at once.</summary>
    public bool DieOnStart { get; set; }

    /// <summary>Every worker started so far, in start order.</summary>
    public IReadOnlyList<FakeProcessWorker> Workers => [.. _started];

    public ValueTask<IPoolWorker> StartAsync(int number, CancellationToken cancellationToken)
    {
        if (StartFailure is not null)
        {
            return ValueTask.FromException<IPoolWorker>(StartFailure);
        }

        var worker = new FakeProcessWorker($"{poolName}-worker-{number}", Interlocked.Increment(ref s_pids));
        _started.Enqueue(worker);
        if (DieOnStart)
        {
            worker.Kill("exited at start");
        }

        return new ValueTask<IPoolWorker>(worker);
    }
}

internal sealed class FakeProcessWorker : IPoolWorker
{
    [ThreadStatic]
    private static FakeProcessWorker? t_current;

    private readonly Lock _lock = new();
    private readonly BlockingCollection<PoolChunk> _inbox = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _running;
    private bool _dead;
    private int _tasksRun;

    public FakeProcessWorker(string name, int pid)
    {
        Name = name;
        ProcessId = pid;
        new Thread(Loop) { IsBackground = true, Name = name }.Start();
    }

    /// <summary>The fake worker running the calling task.</summary>
    public static FakeProcessWorker Current => t_current ?? throw new InvalidOperationException("Not on a fake worker.");

    public string Name { get; }

    public int? ProcessId { get; }

    public Task Exited => _exited.Task;

    public bool IsAlive => !_exited.Task.IsCompleted;

    /// <summary>Tasks this worker ran to a report.</summary>
    public int TasksRun => Volatile.Read(ref _tasksRun);

    /// <summary>How many times the initializer ran in this worker.</summary>
    public int InitializerRuns;

    /// <summary>The input values this worker has started, in order.</summary>
    public ConcurrentQueue<int> Started { get; } = new();

    public ValueTask RunAsync(PoolChunk chunk, CancellationToken abort)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_dead)
            {
                return ValueTask.FromException(new PoolWorkerUnavailableException($"Worker process {Name} has exited."));
            }

            _running = done;
        }

        CancellationTokenRegistration registration = abort.Register(() => Kill("killed by the pool"));
        _inbox.Add(chunk);
        return new ValueTask(done.Task.ContinueWith(
            task =>
            {
                registration.Dispose();
                task.GetAwaiter().GetResult();
            },
            TaskScheduler.Default));
    }

    /// <summary>Kills the "process": the chunk it holds fails at once and nothing it does afterwards is reported.</summary>
    public void Kill(string reason = "killed")
    {
        lock (_lock)
        {
            if (_dead)
            {
                return;
            }

            _dead = true;
            _running?.TrySetException(new IOException($"Worker process {Name} exited ({reason})."));
        }

        _inbox.CompleteAdding();
        _exited.TrySetResult();
    }

    public ValueTask DisposeAsync()
    {
        Kill("stopped");
        return default;
    }

    /// <summary>Called from inside a task: the worker dies as a process does on FailFast or SIGKILL.</summary>
    public static void CrashCurrent() => throw new SimulatedCrash();

    private void Loop()
    {
        t_current = this;
        foreach (PoolChunk chunk in _inbox.GetConsumingEnumerable())
        {
            if (!RunChunk(chunk))
            {
                return;
            }

            lock (_lock)
            {
                if (_dead)
                {
                    return;
                }

                _running!.TrySetResult();
            }
        }
    }

    private bool RunChunk(PoolChunk chunk)
    {
        var work = (IEncodedPoolWork)chunk.Job;
        while (chunk.TryStartNext())
        {
            int position = chunk.NextPosition;
            var arguments = new ArrayBufferWriter<byte>();
            work.WriteArguments(position, arguments);
            if (!ProcessDispatch.TryGet(work.MethodId, out ProcessMethod? method))
            {
                throw new InvalidOperationException($"No method 0x{work.MethodId:X16}.");
            }

            var result = new ArrayBufferWriter<byte>();
            Exception? error = null;
            try
            {
                method.Invoke(arguments.WrittenSpan, result);
            }
            catch (SimulatedCrash)
            {
                Kill("crashed");
                return false;
            }
            catch (Exception ex)
            {
                // A real worker sends the exception back in an error frame; the parent raises it per task.
                error = ex;
            }

            lock (_lock)
            {
                if (_dead)
                {
                    return false;
                }

                if (error is null)
                {
                    try
                    {
                        work.ReadResult(position, result.WrittenSpan);
                    }
                    catch (Exception ex)
                    {
                        error = ex;
                    }
                }

                chunk.ReportNext(error);
                _tasksRun++;
            }
        }

        return true;
    }

    private sealed class SimulatedCrash : Exception;
}
