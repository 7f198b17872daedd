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
    private readonly long? _outOfMemoryKillsAtStart;
    private int _stopRequested;

    private WorkerProcess(Process process, WorkerListener listener, string name, bool isDaemon)
    {
        _process = process;
        _listener = listener;
        Name = name;
        IsDaemon = isDaemon;
        Pid = process.Id;
        _outOfMemoryKillsAtStart = OutOfMemoryKills.Read(Environment.ProcessId);
    }

    public string Name { get; }

    public bool IsDaemon { get; }

    public int Pid { get; }

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Whether this side asked the worker to stop (<see cref="Kill"/>, <see cref="Terminate"/>).</summary>
    public bool StopRequested => Volatile.Read(ref _stopRequested) != 0;

    /// <summary>
    /// Starts a fresh copy of the program as a worker: through the <see cref="WorkerHost"/> when the program needs it
    /// (<see cref="WorkerHost.IsNeeded()"/>), as it is otherwise.
    /// </summary>
    public static WorkerProcess Start(string name, bool isDaemon)
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
            if (WorkerHost.IsNeeded())
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
    /// Waits until the worker has connected and authenticated. A worker that ran to a normal exit first, reported
    /// that it skipped the guard, or did not connect within <see cref="ProcessSettings.ConnectTimeout"/> fails with a
    /// <see cref="MissingMainGuardException"/>; one that a signal ended first (a kill, a crash, the OOM killer) with a
    /// <see cref="ProcessTerminatedException"/> that names the signal: that says nothing about the program's guard.
    /// </summary>
    /// <param name="task">What the worker was started for (<c>Program.Square</c>), for messages; <see langword="null"/> for a pool worker.</param>
    public async Task<WorkerConnection> ConnectAsync(string? task = null)
    {
        TimeSpan timeout = ProcessSettings.ConnectTimeout;
        using var timeoutSource = new CancellationTokenSource(timeout);
        Task<(FrameConnection Connection, int WorkerPid)> accept = _listener.AcceptAsync(timeoutSource.Token);
        Task exited = _process.WaitForExitAsync();
        bool handedOver = false;
        try
        {
            await Task.WhenAny(accept, exited).ConfigureAwait(false);
            if (accept.IsCompletedSuccessfully)
            {
                handedOver = true;
                return new WorkerConnection(accept.Result.Connection, accept.Result.WorkerPid, this);
            }

            if (!exited.IsCompleted)
            {
                Exception? acceptFailure = accept.IsFaulted ? accept.Exception.InnerException : null;
                bool stopped = IsStopped();
                KillQuietly();
                await exited.ConfigureAwait(false);
                if (acceptFailure is not null)
                {
                    throw acceptFailure;
                }

                if (stopped && !StopRequested)
                {
                    // Stopped by a signal (SIGSTOP, SIGTSTP) while it started: a crash of the start, not of the program.
                    throw ProcessTerminatedException.BeforeConnecting(Name, Pid, _process.ExitCode, outOfMemory: false, task, stoppedFor: timeout);
                }

                throw StopRequested ? Terminated() : MissingMainGuardException.ConnectTimedOut(Name, Pid, timeout);
            }

            throw StopRequested ? Terminated() : ExitedBeforeConnecting(task);
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

    /// <summary>Whether the worker is stopped by a signal (state T in /proc/[pid]/stat); <see langword="false"/> where that cannot be told.</summary>
    private bool IsStopped()
    {
        try
        {
            string stat = System.IO.File.ReadAllText($"/proc/{Pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..] is ['T' or 't', ..];
        }
        catch (Exception exception) when (exception is System.IO.IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The exception for a worker that ended before it returned a result. Call once it has exited.</summary>
    public ProcessTerminatedException Terminated() => new(Name, Pid, _process.ExitCode, EndedByOutOfMemoryKiller());

    /// <summary>
    /// Whether the worker, once exited, was ended by the kernel's OOM killer as far as Linux tells: SIGKILL, not sent
    /// by this side, while its memory cgroup's OOM kill counter went up.
    /// </summary>
    private bool EndedByOutOfMemoryKiller() =>
        !StopRequested
        && ProcessHandle.SignalOf(_process.ExitCode) == LibC.SIGKILL
        && _outOfMemoryKillsAtStart is long before
        && OutOfMemoryKills.Read(Environment.ProcessId) is long now
        && now > before;

    /// <summary>
    /// Why a worker that exited without connecting never ran: a signal ended it (a crash or a kill, retried by a
    /// pool), it reported that <c>Main</c> skipped the guard, or it ran <c>Main</c> to a normal exit, which is what
    /// an unguarded program does.
    /// </summary>
    private Exception ExitedBeforeConnecting(string? task)
    {
        int exitCode = _process.ExitCode;
        if (ProcessHandle.SignalOf(exitCode) is not null)
        {
            return ProcessTerminatedException.BeforeConnecting(Name, Pid, exitCode, EndedByOutOfMemoryKiller(), task);
        }

        return exitCode == WorkerLoop.MissingGuard
            ? MissingMainGuardException.ReportedByWorker(Name, Pid)
            : MissingMainGuardException.ExitedWithoutConnecting(Name, Pid, exitCode);
    }

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
