using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// A thread started by a generated <c>Start{Method}(…)</c> launcher of a <see cref="RunInThreadAttribute"/> method:
/// the counterpart of Python's <c>threading.Thread</c> once started.
/// </summary>
/// <remarks>
/// The handle can be joined with a timeout, awaited, or joined asynchronously with a cancellation token.
/// As Python's <c>Thread.join()</c>, the joins of this handle wait and return whatever the outcome, and the method's
/// exception is kept in <see cref="Exception"/>; for a method without a result it is also written to standard error
/// as the thread ends (as Python's <c>threading.excepthook</c> does). <c>await handle</c> and <see cref="Completion"/>
/// carry the outcome as a task: they rethrow the exception with its original stack trace. A
/// <see cref="ThreadHandle{T}"/>'s <c>Result</c> and <c>Join()</c> rethrow it too, since there is no result to return.
/// </remarks>
public class ThreadHandle
{
    private readonly Thread _thread;
    private readonly Task _completion;
    private readonly ThreadStart _body;

    private protected ThreadHandle(string name, bool isDaemon, Task completion, ThreadStart body)
    {
        Name = name;
        IsDaemon = isDaemon;
        _completion = completion;
        _body = body;
        _thread = new Thread(RunNamed) { IsBackground = isDaemon };
    }

    /// <summary>The thread's name: the attribute's <c>Name</c>, or the method's name with a running number.</summary>
    public string Name { get; }

    /// <summary>Whether the thread is a daemon (background) thread that does not keep the program alive.</summary>
    public bool IsDaemon { get; }

    /// <summary>
    /// <see langword="true"/> from the moment the thread starts until the method has returned or thrown
    /// (including time spent waiting for a <see cref="RunInThreadAttribute.MaxConcurrency"/> slot).
    /// </summary>
    public bool IsAlive => !_completion.IsCompleted;

    /// <summary>The managed thread id of the underlying thread.</summary>
    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>The exception the method threw, or <see langword="null"/> while it runs or when it succeeded.</summary>
    public Exception? Exception => _completion.IsFaulted ? _completion.Exception!.InnerException : null;

    /// <summary>A task that completes when the method has returned, and faults with its exception when it threw.</summary>
    public Task Completion => _completion;

    /// <summary>Blocks until the thread has ended, whether the method returned or threw (<see cref="Exception"/> tells), as Python's <c>join()</c>.</summary>
    /// <exception cref="InvalidOperationException">The calling thread is this handle's thread.</exception>
    public void Join()
    {
        ThrowIfSelfJoin();
        _thread.Join();
    }

    /// <summary>Blocks until the thread has ended or <paramref name="timeout"/> has passed.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <returns>
    /// <see langword="true"/> when the thread ended in time, whether the method returned or threw (<see cref="Exception"/>
    /// tells); <see langword="false"/> when it is still running.
    /// </returns>
    /// <exception cref="InvalidOperationException">The calling thread is this handle's thread.</exception>
    public bool Join(TimeSpan timeout)
    {
        ThrowIfSelfJoin();
        if (!_thread.Join(timeout))
        {
            return false;
        }

        return true;
    }

    /// <summary>Waits asynchronously until the method has returned or thrown (<see cref="Exception"/> tells); never throws the method's exception.</summary>
    /// <param name="cancellationToken">Stops the wait (not the thread).</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public Task JoinAsync(CancellationToken cancellationToken = default) => HandleOutcome.Ended(_completion, cancellationToken);

    /// <summary>Lets the handle be awaited: <c>await StartDownload(url);</c> rethrows the method's exception, if any.</summary>
    public TaskAwaiter GetAwaiter() => _completion.GetAwaiter();

    /// <inheritdoc/>
    public override string ToString() => $"ThreadHandle({Name}, {(IsAlive ? "alive" : "ended")})";

    internal void StartThread() => _thread.Start();

    // Naming the thread from inside costs a fraction of naming it before Start on Linux, where the runtime then
    // renames the new thread from the starting one (measured by bench/run.sh threads); the method still sees its name.
    private void RunNamed()
    {
        Thread.CurrentThread.Name = Name;
        _body();
    }

    private void ThrowIfSelfJoin()
    {
        if (Thread.CurrentThread == _thread)
        {
            throw new InvalidOperationException($"Thread '{Name}' cannot join itself: that would wait for ever.");
        }
    }
}

/// <summary>
/// A thread started by the launcher of a <see cref="RunInThreadAttribute"/> method that returns a value.
/// </summary>
/// <typeparam name="T">The method's result type (for <c>Task&lt;T&gt;</c> methods, <c>T</c>).</typeparam>
public sealed class ThreadHandle<T> : ThreadHandle
{
    private readonly Task<T> _result;

    internal ThreadHandle(string name, bool isDaemon, Task<T> result, ThreadStart body)
        : base(name, isDaemon, result, body)
    {
        _result = result;
    }

    /// <summary>The method's result; blocks until the thread has ended and rethrows the method's exception, if any.</summary>
    public T Result => Join();

    /// <summary>Blocks until the thread has ended and returns the method's result; rethrows its exception, if any.</summary>
    /// <exception cref="InvalidOperationException">The calling thread is this handle's thread.</exception>
    public new T Join()
    {
        base.Join();
        return _result.GetAwaiter().GetResult();
    }

    /// <summary>Waits asynchronously for the method's result; rethrows its exception, if any.</summary>
    /// <param name="cancellationToken">Stops the wait (not the thread).</param>
    public new Task<T> JoinAsync(CancellationToken cancellationToken = default) => _result.WaitAsync(cancellationToken);

    /// <summary>Lets the handle be awaited for its result: <c>int n = await StartCount(path);</c></summary>
    public new TaskAwaiter<T> GetAwaiter() => _result.GetAwaiter();
}
