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
/// wait until the child process has exited and, as Python's <c>Process.join()</c>, return whatever the outcome:
/// <see cref="ExitCode"/> and <see cref="Exception"/> tell it. The failures are a <see cref="RemoteException"/> (the
/// method threw in the child), a <see cref="ProcessTerminatedException"/> (the child ended without a result) and a
/// <see cref="MissingMainGuardException"/> (it never reached the main guard); one this side did not cause with
/// <see cref="Kill"/>, <see cref="Terminate"/> or <see cref="Dispose"/> is also written to standard error when it
/// becomes known. <c>await handle</c> and <see cref="Completion"/> carry the outcome as a task: they throw the failure.
/// A <see cref="ProcessHandle{T}"/>'s <c>Result</c> and <c>Join()</c> throw it too, since there is no result to return.
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
    /// (the exception travels to the parent as a <see cref="RemoteException"/>); 2: the child's <c>Main</c> skipped the main
    /// guard and tried to start a worker of its own; 3: the worker could not reach or
    /// authenticate with its parent; 128 + n: the child was ended by signal n (137 for SIGKILL, 143 for SIGTERM,
    /// 134 for SIGABRT, as <c>Environment.FailFast</c> or a crash gives) — the shell's convention, which
    /// <see cref="System.Diagnostics.Process.ExitCode"/> also follows. Any other value is the code the method
    /// passed to <see cref="Environment.Exit(int)"/>.
    /// </summary>
    public int? ExitCode => _worker.ExitCode;

    /// <summary>Why the child failed, or <see langword="null"/> while it runs or when it succeeded.</summary>
    public Exception? Exception => _completion.IsFaulted ? _completion.Exception!.InnerException : null;

    /// <summary>A task that completes when the child has exited and its result is known, and faults with its failure.</summary>
    public Task Completion => _completion;

    /// <summary>Blocks until the child has exited, whatever the outcome (<see cref="ExitCode"/> and <see cref="Exception"/> tell), as Python's <c>join()</c>.</summary>
    public void Join() => ((IAsyncResult)_completion).AsyncWaitHandle.WaitOne();

    /// <summary>Blocks until the child has exited or <paramref name="timeout"/> has passed.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <returns>
    /// <see langword="true"/> when the child exited in time, whatever the outcome (<see cref="ExitCode"/> and
    /// <see cref="Exception"/> tell); <see langword="false"/> when it still runs.
    /// </returns>
    public bool Join(TimeSpan timeout) => ((IAsyncResult)_completion).AsyncWaitHandle.WaitOne(timeout);

    /// <summary>Waits asynchronously until the child has exited, whatever the outcome (<see cref="Exception"/> tells); never throws the child's failure.</summary>
    /// <param name="cancellationToken">Stops the wait (not the child).</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public Task JoinAsync(CancellationToken cancellationToken = default) => HandleOutcome.Ended(_completion, cancellationToken);

    /// <summary>Lets the handle be awaited: <c>await StartWork(x);</c> throws the child's failure, if any.</summary>
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
