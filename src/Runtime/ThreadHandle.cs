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
/// An exception thrown by the method is kept and rethrown, with its original stack trace, by every join.
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

    /// <summary>A task that completes when the method has returned or thrown.</summary>
    public Task Completion => _completion;

    /// <summary>Blocks until the thread has ended; rethrows the method's exception, if any.</summary>
    /// <exception cref="InvalidOperationException">The calling thread is this handle's thread.</exception>
    public void Join()
    {
        ThrowIfSelfJoin();
        _thread.Join();
        _completion.GetAwaiter().GetResult();
    }

    /// <summary>Blocks until the thread has ended or <paramref name="timeout"/> has passed.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <returns><see langword="true"/> when the thread ended in time; <see langword="false"/> when it is still running.</returns>
    /// <exception cref="InvalidOperationException">The calling thread is this handle's thread.</exception>
    /// <remarks>When the thread ended by throwing, the exception is rethrown rather than returning <see langword="true"/>.</remarks>
    public bool Join(TimeSpan timeout)
    {
        ThrowIfSelfJoin();
        if (!_thread.Join(timeout))
        {
            return false;
        }

        _completion.GetAwaiter().GetResult();
        return true;
    }

    /// <summary>Waits asynchronously until the method has returned or thrown; rethrows its exception, if any.</summary>
    /// <param name="cancellationToken">Stops the wait (not the thread).</param>
    public Task JoinAsync(CancellationToken cancellationToken = default) => _completion.WaitAsync(cancellationToken);

    /// <summary>Lets the handle be awaited: <c>await StartDownload(url);</c></summary>
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
        return _result.Result;
    }

    /// <summary>Waits asynchronously for the method's result; rethrows its exception, if any.</summary>
    /// <param name="cancellationToken">Stops the wait (not the thread).</param>
    public new Task<T> JoinAsync(CancellationToken cancellationToken = default) => _result.WaitAsync(cancellationToken);

    /// <summary>Lets the handle be awaited for its result: <c>int n = await StartCount(path);</c></summary>
    public new TaskAwaiter<T> GetAwaiter() => _result.GetAwaiter();
}
