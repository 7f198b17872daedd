using System.Buffers.Binary;
using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using ParallelDsl.GeneratedSupport;
using ParallelDsl;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// Starts <see cref="FakeProcess"/>es and connects the pool to each through the production
/// <see cref="ChannelPoolWorker"/> adapter, so these tests cover the engine and the frame adapter, not real processes.
/// </summary>
internal sealed class FakeWorkerFactory(string poolName) : IPoolWorkerFactory
{
    private static int s_pids = 40_000;
    private readonly ConcurrentQueue<FakeProcess> _started = new();

    /// <summary>Makes <see cref="StartAsync"/> fail, like a worker program that cannot start.</summary>
    public Exception? StartFailure { get; set; }

    /// <summary>Makes every worker die right after it starts, like a worker program that exits at once.</summary>
    public bool DieOnStart { get; set; }

    /// <summary>Rewrites the result frames of every worker, as a faulty transport or worker would.</summary>
    public Func<PoolTaskFrame, byte[], byte[]>? TamperResult { get; init; }

    /// <summary>Every worker started so far, in start order.</summary>
    public IReadOnlyList<FakeProcess> Workers => [.. _started];

    public ValueTask<IPoolWorker> StartAsync(int number, CancellationToken cancellationToken)
    {
        if (StartFailure is not null)
        {
            return ValueTask.FromException<IPoolWorker>(StartFailure);
        }

        var process = new FakeProcess($"{poolName}-worker-{number}", Interlocked.Increment(ref s_pids), TamperResult);
        _started.Enqueue(process);
        if (DieOnStart)
        {
            process.Kill("exited at start");
        }

        // Batches as the real pool sends them: methods with generated batch codecs travel many tasks per frame.
        return new ValueTask<IPoolWorker>(new ChannelPoolWorker(process, sendsBatches: true));
    }
}

/// <summary>
/// A test double for a worker process at the frame level: a thread that takes task frames, runs the method through
/// the dispatch table's invoker, and answers with result frames. It can die like a process: a simulated crash from
/// inside a task, or a kill from outside; after that, sends fail and pending receives end with an I/O error.
/// </summary>
internal sealed class FakeProcess : IPoolWorkerChannel
{
    [ThreadStatic]
    private static FakeProcess? t_current;

    private readonly BlockingCollection<PoolTaskFrame> _tasks = [];
    private readonly Channel<PoolResultFrame> _results = Channel.CreateUnbounded<PoolResultFrame>();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly Func<PoolTaskFrame, byte[], byte[]>? _tamperResult;
    private bool _dead;
    private int _tasksRun;
    private int _tasksReceived;

    public FakeProcess(string name, int pid, Func<PoolTaskFrame, byte[], byte[]>? tamperResult = null)
    {
        _tamperResult = tamperResult;
        Name = name;
        ProcessId = pid;
        new Thread(Loop) { IsBackground = true, Name = name }.Start();
    }

    /// <summary>The fake process running the calling task.</summary>
    public static FakeProcess Current => t_current ?? throw new InvalidOperationException("Not in a fake process.");

    public string Name { get; }

    public int? ProcessId { get; }

    public Task Exited => _exited.Task;

    public bool IsAlive => !_exited.Task.IsCompleted;

    /// <summary>Tasks this process answered.</summary>
    public int TasksRun => Volatile.Read(ref _tasksRun);

    /// <summary>Tasks the pool sent to this process, counting each task of a batch.</summary>
    public int TasksReceived => Volatile.Read(ref _tasksReceived);

    /// <summary>How many times the initializer ran in this process.</summary>
    public int InitializerRuns;

    /// <summary>The input values this process has started, in order.</summary>
    public ConcurrentQueue<int> Started { get; } = new();

    /// <summary>Called from inside a task: the process dies as on FailFast or SIGKILL.</summary>
    public static void CrashCurrent() => throw new SimulatedCrash();

    public ValueTask SendAsync(PoolTaskFrame task, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_dead)
            {
                return ValueTask.FromException(new IOException($"Broken pipe: worker process {Name} has exited."));
            }

            // The sender reuses its buffer: keep a copy, as bytes written to a pipe are.
            _tasks.Add(task with { Arguments = task.Arguments.ToArray() });
            Interlocked.Add(ref _tasksReceived, TaskCount(task));
        }

        return default;
    }

    public ValueTask<PoolResultFrame> ReceiveAsync(CancellationToken cancellationToken) =>
        _results.Reader.ReadAsync(cancellationToken);

    /// <summary>Kills the process: what it has not answered yet is lost.</summary>
    public void Kill(string reason = "killed")
    {
        lock (_lock)
        {
            if (_dead)
            {
                return;
            }

            _dead = true;
            _tasks.CompleteAdding();
            _results.Writer.TryComplete(new IOException($"Worker process {Name} exited ({reason})."));
        }

        _exited.TrySetResult();
    }

    public ValueTask DisposeAsync()
    {
        Kill("stopped");
        return default;
    }

    /// <summary>1, or for a batch the count in its head: the method id, the owner's name, then the count.</summary>
    private static int TaskCount(PoolTaskFrame task)
    {
        if (task.MethodId != ProcessBatch.MethodId)
        {
            return 1;
        }

        ReadOnlySpan<byte> head = task.Arguments.Span;
        int ownerLength = BinaryPrimitives.ReadInt32LittleEndian(head[sizeof(ulong)..]);
        return BinaryPrimitives.ReadInt32LittleEndian(head[(sizeof(ulong) + sizeof(int) + ownerLength)..]);
    }

    private void Loop()
    {
        t_current = this;
        foreach (PoolTaskFrame task in _tasks.GetConsumingEnumerable())
        {
            if (!ProcessDispatch.TryGet(task.MethodId, out ProcessMethod? method))
            {
                throw new InvalidOperationException($"No method 0x{task.MethodId:X16}.");
            }

            var result = new ArrayBufferWriter<byte>();
            Exception? error = null;
            try
            {
                method.Invoke(task.Arguments.Span, result);
            }
            catch (SimulatedCrash)
            {
                Kill("crashed");
                return;
            }
            catch (Exception ex)
            {
                // A real worker sends the exception back in an error frame; the parent raises it for that task.
                error = ex;
            }

            lock (_lock)
            {
                ReadOnlyMemory<byte> payload = _tamperResult is null ? result.WrittenMemory : _tamperResult(task, result.WrittenSpan.ToArray());
                if (_dead || !_results.Writer.TryWrite(new PoolResultFrame(task.TaskId, payload, error)))
                {
                    return;
                }

                _tasksRun++;
            }
        }
    }

    private sealed class SimulatedCrash : Exception;
}
