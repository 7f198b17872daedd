using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using ParallelDsl.Wire;

namespace ParallelDsl;

/// <summary>
/// Where <see cref="ProcessPool"/> gets its worker processes: the launchers' spawn path (a fresh start of the
/// program, or of its host, over an authenticated Unix socket), but the worker serves task frames until it is told
/// to shut down. Each one is wrapped as a <see cref="ChannelPoolWorker"/> over a <see cref="ProcessPoolChannel"/>.
/// </summary>
internal static class ProcessPoolWorkers
{
    /// <summary>Creates the worker factory of the pool named <paramref name="poolName"/>.</summary>
    public static IPoolWorkerFactory CreateFactory(string poolName) => new Factory(poolName);

    /// <summary>
    /// Whether workers start through the <see cref="WorkerHost"/>: this program never reached the main guard and its
    /// entry assembly declares no <see cref="RunInProcessAttribute"/> method (a test host, or a library's methods
    /// used from a foreign host). A program that declares process methods is started as it is, so that a missing
    /// guard is reported rather than papered over.
    /// </summary>
    private static bool UsesWorkerHost() =>
        !MainGuard.Reached && !ProcessDispatch.AnyOwnedBy(Assembly.GetEntryAssembly());

    private sealed class Factory(string poolName) : IPoolWorkerFactory
    {
        public async ValueTask<IPoolWorker> StartAsync(int number, CancellationToken cancellationToken)
        {
            ProcessLauncher.ThrowIfUnsupportedPlatform();
            MainGuard.ThrowIfUnguardedWorker();
            cancellationToken.ThrowIfCancellationRequested();

            // Pool workers are daemons, as in Python: at the parent's exit they are killed, not joined.
            string name = string.Create(CultureInfo.InvariantCulture, $"{poolName}-worker-{number}");
            WorkerProcess process = WorkerProcess.Start(name, isDaemon: true, UsesWorkerHost());
            try
            {
                FrameConnection connection;
                using (cancellationToken.Register(static state => ((WorkerProcess)state!).Kill(), process))
                {
                    (connection, _) = await process.ConnectDirectlyAsync().ConfigureAwait(false);
                }

                return new ChannelPoolWorker(new ProcessPoolChannel(process, connection), sendsBatches: true);
            }
            catch
            {
                process.Kill();
                await process.WaitForExitAsync().ConfigureAwait(false);
                process.Dispose();
                throw;
            }
        }
    }
}

/// <summary>
/// One warm worker process as the pool engine sees it: task and result frames over the worker's socket, adapted to
/// <see cref="IPoolWorkerChannel"/>. An error frame becomes the task's <see cref="RemoteException"/>; a worker that is
/// gone (crash, kill, stack overflow) makes sends and receives throw, with the way it ended as the cause.
/// </summary>
/// <remarks>
/// Sends and receives are blocking calls that complete before they return: the engine calls them from the slot
/// thread dedicated to this worker, which then sleeps in the kernel until the result arrives and is woken by it
/// directly. Cancellation kills the worker, which ends a receive that waits for it.
/// </remarks>
internal sealed class ProcessPoolChannel : IPoolWorkerChannel
{
    /// <summary>How long an idle worker has to exit after the Shutdown frame before it is killed.</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    /// <summary>How long a receive that saw the channel close waits for the exit code that explains it.</summary>
    private static readonly TimeSpan ExitCodeWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The largest task frame sent while the worker may still be writing a result. A blocking send of a larger one
    /// could fill the socket while the worker blocks writing to this side, which is not reading: each would wait
    /// for the other. Larger frames wait until the results due before them are in.
    /// </summary>
    private const int MaxPipelinedFrame = 64 * 1024;

    private readonly WorkerProcess _process;
    private readonly FrameConnection _connection;
    private readonly Task _exited;
    private readonly Queue<TaskResult> _early = new();
    private TaskResult? _lastResult;
    private int _inFlight;
    private int _disposed;

    public ProcessPoolChannel(WorkerProcess process, FrameConnection connection)
    {
        _process = process;
        _connection = connection;
        _exited = process.WaitForExitAsync();
    }

    public string Name => _process.Name;

    public int? ProcessId => _process.Pid;

    public Task Exited => _exited;

    public ValueTask SendAsync(PoolTaskFrame task, CancellationToken cancellationToken)
    {
        if (!ProcessDispatch.TryGet(task.MethodId, out ProcessMethod? method))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"No [RunInProcess] method with id 0x{task.MethodId:X16} is registered in this process."));
        }

        cancellationToken.ThrowIfCancellationRequested();
        string owner = method.Owner.FullName ?? method.Owner.GetName().Name ?? string.Empty;
        TaskRequest.Write(_connection.Begin(FrameKind.Task), (ulong)task.TaskId, task.MethodId, owner, task.Arguments.Span);
        _connection.ThrowIfPendingFrameTooLarge();
        if (task.Arguments.Length <= MaxPipelinedFrame)
        {
            // Fits in the socket's buffer: the send returns at once whatever the worker does.
            _inFlight++;
            _connection.Send();
            return ValueTask.CompletedTask;
        }

        bool drained = false;
        while (_inFlight > _early.Count)
        {
            _early.Enqueue(Read(cancellationToken));
            drained = true;
        }

        _inFlight++;
        using (cancellationToken.UnsafeRegister(static process => ((WorkerProcess)process!).Kill(), _process))
        {
            try
            {
                _connection.Send();
            }
            catch (IOException) when (drained && !cancellationToken.IsCancellationRequested)
            {
                // The worker died after it answered the tasks before this one: those results still count, and the
                // receive after them reports the death.
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.CompletedTask;
    }

    public ValueTask<PoolResultFrame> ReceiveAsync(CancellationToken cancellationToken)
    {
        ReleaseLastResult();
        TaskResult result = _early.TryDequeue(out TaskResult? early) ? early : Read(cancellationToken);
        _inFlight--;
        _lastResult = result;
        if (!result.IsSuccess)
        {
            return ValueTask.FromResult(new PoolResultFrame((long)result.TaskId, ReadOnlyMemory<byte>.Empty, result.ReadError().ToException()));
        }

        // The payload stays valid until the next receive: the adapter decodes it before asking for another frame.
        return ValueTask.FromResult(new PoolResultFrame((long)result.TaskId, result.PayloadMemory, null));
    }

    /// <summary>
    /// Stops the worker: an idle one is told to shut down and given a moment to exit; one that still holds a task
    /// (it timed out, the pool terminates) or will not exit is killed. No process is left when this returns.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        ReleaseLastResult();
        while (_early.TryDequeue(out TaskResult? unread))
        {
            unread.Dispose();
        }

        if (_inFlight > 0 || !await TryShutDownAsync().ConfigureAwait(false))
        {
            _process.Kill();
        }

        await _exited.ConfigureAwait(false);
        _connection.Dispose();
        _process.Dispose();
    }

    private async Task<bool> TryShutDownAsync()
    {
        try
        {
            _connection.Begin(FrameKind.Shutdown);
            _connection.Send();
            await _exited.WaitAsync(ShutdownGrace).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is IOException or TimeoutException or ObjectDisposedException)
        {
            return _process.HasExited;
        }
    }

    /// <summary>Reads the next result frame, blocking; throws when the worker is gone or the frame is invalid.</summary>
    private TaskResult Read(CancellationToken cancellationToken)
    {
        Frame? frame;
        using (cancellationToken.UnsafeRegister(static process => ((WorkerProcess)process!).Kill(), _process))
        {
            try
            {
                frame = _connection.Receive();
            }
            catch (IOException)
            {
                // The connection broke (a killed worker can reset it): the worker is gone, which is no protocol error.
                frame = null;
            }
            catch (ProtocolException)
            {
                _process.Kill();
                throw;
            }
        }

        // Cancelled: the registration killed the worker, whatever the read returned.
        cancellationToken.ThrowIfCancellationRequested();
        if (frame is null)
        {
            throw Gone();
        }

        if (frame.Kind != FrameKind.Result)
        {
            FrameKind kind = frame.Kind;
            frame.Dispose();
            _process.Kill();
            throw new ProtocolException($"The worker sent a {kind} frame; only Result frames may follow authentication.");
        }

        try
        {
            return TaskResult.Parse(frame);
        }
        catch (ProtocolException)
        {
            _process.Kill();
            throw;
        }
    }

    /// <summary>The exception for a channel that closed: the worker's exit, with how it ended.</summary>
    private IOException Gone()
    {
        if (!_exited.Wait(ExitCodeWait))
        {
            // The socket closed but the process lingers: it is of no use any more.
            _process.Kill();
            _exited.Wait();
        }

        return new IOException($"Worker '{Name}' (pid {_process.Pid}) is gone.", _process.Terminated());
    }

    private void ReleaseLastResult()
    {
        _lastResult?.Dispose();
        _lastResult = null;
    }
}
