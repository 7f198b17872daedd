using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// A child process started by a generated <c>Start{Method}(…)</c> launcher of a <see cref="RunInProcessAttribute"/>
/// method: the counterpart of Python's <c>multiprocessing.Process</c> once started.
/// </summary>
/// <remarks>
/// The handle can be joined with a timeout, awaited, or joined asynchronously with a cancellation token. Joins
/// wait until the child process has exited. What the method threw in the child is rethrown by every join as a
/// <see cref="RemoteException"/>; a child that ended without a result gives a <see cref="ProcessTerminatedException"/>,
/// and one that never reached the main guard a <see cref="MissingMainGuardException"/>.
/// Disposing the handle kills the child if it still runs.
/// </remarks>
public class ProcessHandle : IDisposable
{
    private readonly WorkerProcess _worker;
    private readonly Task _completion;
    private int _disposed;

    private protected ProcessHandle(WorkerProcess worker, Task completion)
    {
        _worker = worker;
        _completion = completion;
    }

    /// <summary>The child's name: the launcher's or attribute's <c>Name</c>, or the method's name with a running number.</summary>
    public string Name => _worker.Name;

    /// <summary>Whether the child is a daemon: killed, rather than joined, when the parent exits.</summary>
    public bool IsDaemon => _worker.IsDaemon;

    /// <summary>The child's process id.</summary>
    public int Pid => _worker.Pid;

    /// <summary><see langword="true"/> from the start of the child until its process has exited.</summary>
    public bool IsAlive => !_worker.HasExited;

    /// <summary>
    /// The child's exit code, or <see langword="null"/> while it runs. 0: the method returned; 1: the method threw
    /// (the exception travels to the parent as a <see cref="RemoteException"/>); 3: the worker could not reach or
    /// authenticate with its parent; 128 + n: the child was ended by signal n (137 for SIGKILL, 143 for SIGTERM,
    /// 134 for SIGABRT, as <c>Environment.FailFast</c> or a crash gives) — the shell's convention, which
    /// <see cref="System.Diagnostics.Process.ExitCode"/> also follows. Any other value is the code the method
    /// passed to <see cref="Environment.Exit(int)"/>.
    /// </summary>
    public int? ExitCode => _worker.ExitCode;

    /// <summary>Why the child failed, or <see langword="null"/> while it runs or when it succeeded.</summary>
    public Exception? Exception => _completion.IsFaulted ? _completion.Exception!.InnerException : null;

    /// <summary>A task that completes when the child has exited and its result or error is known.</summary>
    public Task Completion => _completion;

    /// <summary>Blocks until the child has exited; rethrows its error, if any.</summary>
    public void Join() => _completion.GetAwaiter().GetResult();

    /// <summary>Blocks until the child has exited or <paramref name="timeout"/> has passed.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <returns><see langword="true"/> when the child exited in time; <see langword="false"/> when it still runs.</returns>
    /// <remarks>When the child failed, its error is rethrown rather than returning <see langword="true"/>.</remarks>
    public bool Join(TimeSpan timeout)
    {
        if (!((IAsyncResult)_completion).AsyncWaitHandle.WaitOne(timeout))
        {
            return false;
        }

        _completion.GetAwaiter().GetResult();
        return true;
    }

    /// <summary>Waits asynchronously until the child has exited; rethrows its error, if any.</summary>
    /// <param name="cancellationToken">Stops the wait (not the child).</param>
    public Task JoinAsync(CancellationToken cancellationToken = default) => _completion.WaitAsync(cancellationToken);

    /// <summary>Lets the handle be awaited: <c>await StartWork(x);</c></summary>
    public TaskAwaiter GetAwaiter() => _completion.GetAwaiter();

    /// <summary>Kills the child at once with SIGKILL, like Python's <c>Process.kill()</c>. Does nothing once it has exited.</summary>
    public void Kill() => _worker.Kill();

    /// <summary>
    /// Asks the child to stop with SIGTERM, like Python's <c>Process.terminate()</c>: .NET runs its exit handlers
    /// and ends with exit code 143. Does nothing once it has exited.
    /// </summary>
    public void Terminate() => _worker.Terminate();

    /// <summary>Kills the child if it still runs, waits for it to end, and releases the handle's resources.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!_worker.HasExited)
        {
            _worker.Kill();
        }

        _worker.WaitForExit();
        ((IAsyncResult)_completion).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10));
        _worker.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        ExitCode is int code ? $"ProcessHandle({Name}, pid {Pid}, exit code {code})" : $"ProcessHandle({Name}, pid {Pid}, alive)";

    /// <summary>The signal behind an exit code by the 128 + n convention, or <see langword="null"/>.</summary>
    internal static int? SignalOf(int exitCode) => exitCode is > 128 and <= 128 + 64 ? exitCode - 128 : null;
}

/// <summary>A child process started by the launcher of a <see cref="RunInProcessAttribute"/> method that returns a value.</summary>
/// <typeparam name="T">The method's result type.</typeparam>
public sealed class ProcessHandle<T> : ProcessHandle
{
    private readonly Task<T> _result;

    internal ProcessHandle(WorkerProcess worker, Task<T> result)
        : base(worker, result)
    {
        _result = result;
    }

    /// <summary>The method's result; blocks until the child has exited and rethrows its error, if any.</summary>
    public T Result => Join();

    /// <summary>Blocks until the child has exited and returns the method's result; rethrows its error, if any.</summary>
    public new T Join() => _result.GetAwaiter().GetResult();

    /// <summary>Waits asynchronously for the method's result; rethrows its error, if any.</summary>
    /// <param name="cancellationToken">Stops the wait (not the child).</param>
    public new Task<T> JoinAsync(CancellationToken cancellationToken = default) => _result.WaitAsync(cancellationToken);

    /// <summary>Lets the handle be awaited for its result: <c>int n = await StartSquare(3);</c></summary>
    public new TaskAwaiter<T> GetAwaiter() => _result.GetAwaiter();
}
