using System;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using ParallelDsl.Wire;

namespace ParallelDsl;

/// <summary>The parent's view of one worker process: the OS process, its private socket and how it ended.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private const int TokenLength = 16;

    private readonly Process _process;
    private readonly WorkerListener _listener;
    private int _stopRequested;

    private WorkerProcess(Process process, WorkerListener listener, string name, bool isDaemon)
    {
        _process = process;
        _listener = listener;
        Name = name;
        IsDaemon = isDaemon;
        Pid = process.Id;
    }

    public string Name { get; }

    public bool IsDaemon { get; }

    public int Pid { get; }

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Whether this side asked the worker to stop (<see cref="Kill"/>, <see cref="Terminate"/>).</summary>
    public bool StopRequested => Volatile.Read(ref _stopRequested) != 0;

    /// <summary>Starts a fresh copy of the program (or of its host, see <see cref="WorkerHost"/>) as a worker.</summary>
    public static WorkerProcess Start(string name, bool isDaemon, bool useWorkerHost)
    {
        byte[] key = WorkerAuthentication.CreateKey();
        byte[] token = RandomNumberGenerator.GetBytes(TokenLength);
        var listener = WorkerListener.Bind(ChildRegistry.NextSocketPath(), key, token, ProcessSettings.MaxFrameLength);
        try
        {
            WorkerCommand command = WorkerCommand.Program;
            // Like Python's children, workers read an empty stdin: the parent keeps the terminal's input to itself.
            var startInfo = new ProcessStartInfo(command.FileName) { UseShellExecute = false, RedirectStandardInput = true };
            foreach (string argument in command.Arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            new WorkerEnvironment(token, listener.SocketPath, key, name, Environment.ProcessId, ProcessSettings.MaxFrameLength)
                .WriteTo(startInfo.Environment);
            if (useWorkerHost)
            {
                WorkerHost.AddTo(startInfo.Environment);
            }

            Process process = WorkerSpawner.Spawn(startInfo);
            process.StandardInput.Close();
            var worker = new WorkerProcess(process, listener, name, isDaemon);
            ChildRegistry.Add(worker);
            worker._process.EnableRaisingEvents = true;
            worker._process.Exited += (_, _) => ChildRegistry.Remove(worker);
            if (worker._process.HasExited)
            {
                ChildRegistry.Remove(worker);
            }

            return worker;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits until the worker has connected and authenticated. Fails fast with a <see cref="MissingMainGuardException"/>
    /// when it exits first or does not connect within <see cref="ProcessSettings.ConnectTimeout"/>.
    /// </summary>
    public async Task<IWorkerChannel> ConnectAsync()
    {
        (FrameConnection connection, int pid) = await ConnectDirectlyAsync().ConfigureAwait(false);
        return new SocketWorkerChannel(connection, pid);
    }

    /// <summary>
    /// <see cref="ConnectAsync"/> without the channel's receive loop: the authenticated connection itself, a blocking
    /// socket, for a caller that reads its frames on a thread of its own. Returns the pid the worker reported.
    /// </summary>
    public async Task<(FrameConnection Connection, int WorkerPid)> ConnectDirectlyAsync()
    {
        TimeSpan timeout = ProcessSettings.ConnectTimeout;
        using var timeoutSource = new CancellationTokenSource(timeout);
        Task<(FrameConnection Connection, int WorkerPid)> accept = _listener.AcceptConnectionAsync(timeoutSource.Token);
        Task exited = _process.WaitForExitAsync();
        bool handedOver = false;
        try
        {
            await Task.WhenAny(accept, exited).ConfigureAwait(false);
            if (accept.IsCompletedSuccessfully)
            {
                handedOver = true;
                return accept.Result;
            }

            if (!exited.IsCompleted)
            {
                Exception? acceptFailure = accept.IsFaulted ? accept.Exception.InnerException : null;
                KillQuietly();
                await exited.ConfigureAwait(false);
                if (acceptFailure is not null)
                {
                    throw acceptFailure;
                }

                throw StopRequested ? Terminated() : MissingMainGuardException.ConnectTimedOut(Name, Pid, timeout);
            }

            throw StopRequested ? Terminated() : MissingMainGuardException.ExitedWithoutConnecting(Name, Pid, _process.ExitCode);
        }
        finally
        {
            await timeoutSource.CancelAsync().ConfigureAwait(false);
            _listener.Dispose();
            if (!handedOver)
            {
                await DiscardAsync(accept).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The exception for a worker that ended before it returned a result. Call once it has exited.</summary>
    public ProcessTerminatedException Terminated() => new(Name, Pid, _process.ExitCode);

    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    public void WaitForExit() => _process.WaitForExit();

    /// <summary>Sends SIGKILL unless the worker has exited.</summary>
    public void Kill()
    {
        Volatile.Write(ref _stopRequested, 1);
        KillQuietly();
    }

    /// <summary>Sends SIGTERM unless the worker has exited.</summary>
    public void Terminate()
    {
        Volatile.Write(ref _stopRequested, 1);
        if (!_process.HasExited)
        {
            _ = LibC.Kill(Pid, LibC.SIGTERM);
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _process.Dispose();
        ChildRegistry.Remove(this);
    }

    /// <summary>Waits for an accept that lost the race against the worker's exit, and closes what it may still have accepted.</summary>
    private static async Task DiscardAsync(Task<(FrameConnection Connection, int WorkerPid)> accept)
    {
        try
        {
            (await accept.ConfigureAwait(false)).Connection.Dispose();
        }
#pragma warning disable CA1031 // The worker is gone and its failure already reported; how its accept ended no longer matters.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private void KillQuietly()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It exited in the meantime.
        }
    }
}
