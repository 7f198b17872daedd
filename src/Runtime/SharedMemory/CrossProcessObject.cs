using System;
using System.Threading;

namespace ParallelDsl;

/// <summary>
/// The base of every object backed by shared memory (<see cref="Shared{T}"/>, <see cref="SharedArray{T}"/>,
/// <see cref="CrossProcessLock"/>, <see cref="CrossProcessEvent"/>, <see cref="CrossProcessSemaphore"/>): it can be
/// passed to a <see cref="RunInProcessAttribute"/> method, whose process then opens the same memory instead of a copy.
/// </summary>
/// <remarks>
/// Disposing unmaps the memory in this process only; it lives on while any process of the program run holds it, and
/// the kernel frees it when the last one disposes it or exits (even when killed). A process can open an object from
/// its <see cref="HandleName"/> only while a process that holds it is alive.
/// </remarks>
public abstract class CrossProcessObject : IDisposable
{
    private protected CrossProcessObject(SharedSegment segment)
    {
        Segment = segment;
    }

    /// <summary>The name another process of the same user opens this object with (see <c>OpenHandle</c>).</summary>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public string HandleName
    {
        get
        {
            Segment.ThrowIfDisposed();
            return Segment.HandleName;
        }
    }

    /// <summary>Whether this object has been disposed in this process.</summary>
    public bool IsDisposed => Segment.IsDisposed;

    /// <summary>
    /// <see langword="true"/> for the objects behind <see cref="SharedValueAttribute"/> properties: they live as long as
    /// the program run, and disposing them does nothing.
    /// </summary>
    public bool IsProgramLifetime { get; private set; }

    private protected SharedSegment Segment { get; }

    /// <summary>Unmaps the shared memory in this process; other processes keep their view of it.</summary>
    /// <remarks>Plain reads and writes must not race with disposal; blocking waits in progress finish first.</remarks>
    public void Dispose()
    {
        if (!IsProgramLifetime)
        {
            Segment.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    internal void MarkProgramLifetime() => IsProgramLifetime = true;

    /// <summary>Checks a timeout argument: zero or more, or <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    private protected static void ValidateTimeout(TimeSpan timeout)
    {
        if (timeout != Timeout.InfiniteTimeSpan && (timeout < TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be zero or more (and at most int.MaxValue milliseconds), or Timeout.InfiniteTimeSpan.");
        }
    }
}

/// <summary>
/// A <see cref="CrossProcessObject"/> with a cross-process lock: <see cref="Shared{T}"/>, <see cref="SharedArray{T}"/>
/// and <see cref="CrossProcessLock"/>. The lock is a robust, recursive mutex in the shared memory: a process that dies
/// while holding it releases it, and the next holder learns so from <see cref="LockScope.WasAbandoned"/>.
/// </summary>
public abstract unsafe class CrossProcessLockable : CrossProcessObject
{
    private protected CrossProcessLockable(SharedSegment segment)
        : base(segment)
    {
    }

    /// <summary>Waits as long as needed for the lock; dispose the returned scope to release it.</summary>
    /// <returns>The held lock.</returns>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public LockScope Lock() => Lock(CancellationToken.None);

    /// <summary>Waits for the lock until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <returns>The held lock.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled before the lock was acquired.</exception>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public LockScope Lock(CancellationToken cancellationToken)
    {
        _ = TryLock(Timeout.InfiniteTimeSpan, cancellationToken, out LockScope scope);
        return scope;
    }

    /// <summary>Waits at most <paramref name="timeout"/> for the lock.</summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> tries once, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="scope">The held lock when the method returns <see langword="true"/>; dispose it to release the lock.</param>
    /// <returns><see langword="true"/> when the lock was acquired in time.</returns>
    public bool TryLock(TimeSpan timeout, out LockScope scope) => TryLock(timeout, CancellationToken.None, out scope);

    /// <summary>Waits at most <paramref name="timeout"/> for the lock, until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> tries once, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <param name="scope">The held lock when the method returns <see langword="true"/>; dispose it to release the lock.</param>
    /// <returns><see langword="true"/> when the lock was acquired in time.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled before the lock was acquired.</exception>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public bool TryLock(TimeSpan timeout, CancellationToken cancellationToken, out LockScope scope)
    {
        ValidateTimeout(timeout);
        Segment.Enter();
        try
        {
            AcquireOutcome outcome = RobustMutex.Acquire(&Segment.Header->Mutex, timeout, cancellationToken);
            if (outcome == AcquireOutcome.TimedOut)
            {
                Segment.Exit();
                scope = default;
                return false;
            }

            bool abandoned = Interlocked.Exchange(ref Segment.Header->AbandonedPending, 0) != 0;
            scope = new LockScope(Segment, abandoned || outcome == AcquireOutcome.Abandoned);
            return true;
        }
        catch
        {
            Segment.Exit();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> under the lock for the library's own multi-step accesses (large values, non-atomic
    /// updates). An abandonment found here is kept for the next <see cref="Lock()"/>, which reports it.
    /// </summary>
    private protected TResult UnderLock<TState, TResult>(TState state, Func<TState, TResult> action)
    {
        Segment.Enter();
        try
        {
            if (RobustMutex.Acquire(&Segment.Header->Mutex, Timeout.InfiniteTimeSpan, CancellationToken.None) == AcquireOutcome.Abandoned)
            {
                Volatile.Write(ref Segment.Header->AbandonedPending, 1);
            }

            try
            {
                return action(state);
            }
            finally
            {
                RobustMutex.Release(&Segment.Header->Mutex);
            }
        }
        finally
        {
            Segment.Exit();
        }
    }
}

/// <summary>
/// A lock shared by every process of the program run, like Python's <c>multiprocessing.Lock</c> (but recursive, and
/// robust: a holder that dies releases it). Pass it to a <see cref="RunInProcessAttribute"/> method to share it.
/// </summary>
/// <example>
/// <code>
/// using var gate = new CrossProcessLock();
/// using (LockScope held = gate.Lock())
/// {
///     if (held.WasAbandoned) { /* a previous holder died: repair what it guarded */ }
/// }
/// </code>
/// </example>
public sealed class CrossProcessLock : CrossProcessLockable, ICrossProcessHandle<CrossProcessLock>
{
    private static readonly SegmentShape Shape = SegmentShape.Synchronization(SegmentKind.Lock, nameof(CrossProcessLock));

    /// <summary>Creates a new, unheld lock.</summary>
    /// <exception cref="PlatformNotSupportedException">The operating system is not Linux.</exception>
    public CrossProcessLock()
        : this(CreateReady(Shape))
    {
    }

    private CrossProcessLock(SharedSegment segment)
        : base(segment)
    {
    }

    /// <summary>Opens in this process the lock another process of the run shared as <paramref name="handleName"/>.</summary>
    /// <param name="handleName">The <see cref="CrossProcessObject.HandleName"/> of the original lock.</param>
    /// <returns>A new object for the same lock; dispose it when done.</returns>
    public static CrossProcessLock OpenHandle(string handleName) => new(SharedSegment.Open(handleName, Shape));

    internal static SharedSegment CreateReady(SegmentShape shape)
    {
        SharedSegment segment = SharedSegment.Create(shape, SegmentIds.NewRandom());
        segment.MarkReady();
        return segment;
    }
}

/// <summary>Ids of anonymous segments: random, so a reused fd number is never mistaken for the original.</summary>
internal static class SegmentIds
{
    public static ulong NewRandom() => (ulong)System.Random.Shared.NextInt64() ^ ((ulong)System.Random.Shared.Next() << 63);
}
