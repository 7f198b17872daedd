using System;
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
                IWorkerChannel channel;
                using (cancellationToken.Register(static state => ((WorkerProcess)state!).Kill(), process))
                {
                    channel = await process.ConnectAsync().ConfigureAwait(false);
                }

                return new ChannelPoolWorker(new ProcessPoolChannel(process, channel), sendsBatches: true);
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
/// One warm worker process as the pool engine sees it: <see cref="IWorkerChannel"/> task and result frames adapted
/// to <see cref="IPoolWorkerChannel"/>. An error frame becomes the task's <see cref="RemoteException"/>; a worker that
/// is gone (crash, kill, stack overflow) makes sends and receives throw, with the way it ended as the cause.
/// </summary>
internal sealed class ProcessPoolChannel : IPoolWorkerChannel
{
    /// <summary>How long an idle worker has to exit after the Shutdown frame before it is killed.</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    /// <summary>How long a receive that saw the channel close waits for the exit code that explains it.</summary>
    private static readonly TimeSpan ExitCodeWait = TimeSpan.FromSeconds(5);

    private readonly WorkerProcess _process;
    private readonly IWorkerChannel _channel;
    private readonly Task _exited;
    private TaskResult? _lastResult;
    private int _inFlight;
    private int _disposed;

    public ProcessPoolChannel(WorkerProcess process, IWorkerChannel channel)
    {
        _process = process;
        _channel = channel;
        _exited = process.WaitForExitAsync();
    }

    public string Name => _process.Name;

    public int? ProcessId => _process.Pid;

    public Task Exited => _exited;

    public async ValueTask SendAsync(PoolTaskFrame task, CancellationToken cancellationToken)
    {
        if (!ProcessDispatch.TryGet(task.MethodId, out ProcessMethod? method))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"No [RunInProcess] method with id 0x{task.MethodId:X16} is registered in this process."));
        }

        string owner = method.Owner.FullName ?? method.Owner.GetName().Name ?? string.Empty;
        Interlocked.Increment(ref _inFlight);
        await _channel.SendTaskAsync((ulong)task.TaskId, task.MethodId, owner, task.Arguments, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<PoolResultFrame> ReceiveAsync(CancellationToken cancellationToken)
    {
        ReleaseLastResult();
        TaskResult? result = await _channel.ReceiveResultAsync(cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            throw await GoneAsync().ConfigureAwait(false);
        }

        Interlocked.Decrement(ref _inFlight);
        _lastResult = result;
        if (!result.IsSuccess)
        {
            return new PoolResultFrame((long)result.TaskId, ReadOnlyMemory<byte>.Empty, result.ReadError().ToException());
        }

        // The payload stays valid until the next receive: the adapter decodes it before asking for another frame.
        return new PoolResultFrame((long)result.TaskId, result.PayloadMemory, null);
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
        if (Volatile.Read(ref _inFlight) > 0 || !await TryShutDownAsync().ConfigureAwait(false))
        {
            _process.Kill();
        }

        await _exited.ConfigureAwait(false);
        await _channel.DisposeAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task<bool> TryShutDownAsync()
    {
        try
        {
            using var grace = new CancellationTokenSource(ShutdownGrace);
            await _channel.SendShutdownAsync(grace.Token).ConfigureAwait(false);
            await _exited.WaitAsync(grace.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return _process.HasExited;
        }
    }

    /// <summary>The exception for a channel that closed: the worker's exit, or the protocol error that closed it.</summary>
    private async Task<Exception> GoneAsync()
    {
        if (_channel.Completion.IsFaulted)
        {
            _process.Kill();
            return _channel.Completion.Exception!.InnerException!;
        }

        try
        {
            await _exited.WaitAsync(ExitCodeWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The socket closed but the process lingers: it is of no use any more.
            _process.Kill();
            await _exited.ConfigureAwait(false);
        }

        return new IOException($"Worker '{Name}' (pid {_process.Pid}) is gone.", _process.Terminated());
    }

    private void ReleaseLastResult()
    {
        _lastResult?.Dispose();
        _lastResult = null;
    }
}
