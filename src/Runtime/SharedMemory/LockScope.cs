using System.Threading;

namespace ParallelDsl;

/// <summary>
/// A held cross-process lock, returned by <see cref="CrossProcessLockable.Lock()"/>: dispose it (with
/// <c>using</c>) to release the lock.
/// </summary>
/// <remarks>
/// The lock belongs to the thread that acquired it, as with C#'s <c>lock</c>, so the scope is a <c>ref struct</c>:
/// the compiler keeps it from crossing an <c>await</c>. The lock is recursive: a thread that holds it may take it again
/// and releases it once per acquisition.
/// </remarks>
public unsafe ref struct LockScope
{
    private SharedSegment? _segment;

    internal LockScope(SharedSegment segment, bool wasAbandoned)
    {
        _segment = segment;
        WasAbandoned = wasAbandoned;
    }

    /// <summary>
    /// <see langword="true"/> when a process (or thread) died while holding this lock before this scope acquired it.
    /// The lock was released by the operating system and now belongs to this scope, but the data it protects may be
    /// half-updated: check or repair it before relying on it. Each abandonment is reported to one acquirer only.
    /// </summary>
    public readonly bool WasAbandoned { get; }

    /// <summary>Whether this scope holds the lock: <see langword="false"/> once disposed, or after a failed <c>TryLock</c>.</summary>
    public readonly bool IsHeld => _segment is not null;

    /// <summary>Releases the lock. Calling it again does nothing.</summary>
    /// <exception cref="SynchronizationLockException">Called on a thread other than the one that acquired the lock.</exception>
    public void Dispose()
    {
        if (_segment is { } segment)
        {
            RobustMutex.Release(&segment.Header->Mutex);
            _segment = null;
            segment.Exit();
        }
    }
}
