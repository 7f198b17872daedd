using System;
using System.Diagnostics;
using System.Threading;

namespace ParallelDsl;

/// <summary>How an acquisition of a segment's mutex ended.</summary>
internal enum AcquireOutcome
{
    Acquired,

    /// <summary>Acquired, but the previous holder died while holding it; the protected data may be half-written.</summary>
    Abandoned,

    TimedOut,
}

/// <summary>
/// Operations on the robust, recursive, process-shared pthread mutex and the condition variable in a segment header.
/// </summary>
/// <remarks>
/// The kernel releases a robust mutex whose holder dies (even by SIGKILL) and hands the next locker
/// <c>EOWNERDEAD</c>, which is how abandonment is detected. Waits with a finite timeout or a cancellable token run
/// in slices of at most <see cref="SliceMilliseconds"/>, so cancellation is noticed within a slice and the timeout is
/// measured on the monotonic clock even though the pthread deadlines are wall-clock times.
/// </remarks>
internal static unsafe class RobustMutex
{
    private const int SliceMilliseconds = 50;
    private const int AttributeBytes = 16;

    public static void Initialize(byte* mutex)
    {
        byte* attributes = stackalloc byte[AttributeBytes];
        Check(LibC.MutexAttrInit(attributes), "initialise a mutex");
        try
        {
            Check(LibC.MutexAttrSetType(attributes, LibC.MutexRecursive), "make a mutex recursive");
            Check(LibC.MutexAttrSetProcessShared(attributes, LibC.ProcessShared), "share a mutex between processes");
            Check(LibC.MutexAttrSetRobust(attributes, LibC.MutexRobust), "make a mutex robust");
            Check(LibC.MutexInit(mutex, attributes), "initialise a mutex");
        }
        finally
        {
            _ = LibC.MutexAttrDestroy(attributes);
        }
    }

    public static void InitializeCondition(byte* condition)
    {
        byte* attributes = stackalloc byte[AttributeBytes];
        Check(LibC.CondAttrInit(attributes), "initialise a condition variable");
        try
        {
            Check(LibC.CondAttrSetProcessShared(attributes, LibC.ProcessShared), "share a condition variable between processes");
            Check(LibC.CondInit(condition, attributes), "initialise a condition variable");
        }
        finally
        {
            _ = LibC.CondAttrDestroy(attributes);
        }
    }

    /// <summary>Acquires the mutex, waiting at most <paramref name="timeout"/>; marks an abandoned mutex consistent again.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public static AcquireOutcome Acquire(byte* mutex, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var budget = new WaitBudget(timeout);
        int result;
        if (budget.IsInfinite && !cancellationToken.CanBeCanceled)
        {
            result = LibC.MutexLock(mutex);
        }
        else
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                LibC.TimeSpec deadline = budget.NextSliceDeadline();
                result = LibC.MutexTimedLock(mutex, &deadline);
                if (result != LibC.ETimedOut)
                {
                    break;
                }

                if (budget.IsExpired)
                {
                    return AcquireOutcome.TimedOut;
                }
            }
        }

        return Interpret(result, mutex);
    }

    /// <summary>Releases the mutex once (it is recursive: a thread releases it as many times as it acquired it).</summary>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the mutex.</exception>
    public static void Release(byte* mutex)
    {
        int result = LibC.MutexUnlock(mutex);
        if (result == LibC.EPerm)
        {
            throw new SynchronizationLockException(
                "The cross-process lock is not held by this thread. Release it on the thread that acquired it (a lock scope cannot move to another thread, for example across an await).");
        }

        Check(result, "release a mutex");
    }

    /// <summary>
    /// Under the segment's mutex, waits on its condition variable until <paramref name="tryTake"/> succeeds (it runs with
    /// the mutex held and may change the header, such as taking a semaphore permit).
    /// </summary>
    /// <returns><see langword="false"/> when <paramref name="timeout"/> passed first.</returns>
    public static bool WaitUntil(SharedSegment segment, delegate*<SegmentHeader*, bool> tryTake, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var budget = new WaitBudget(timeout);
        SegmentHeader* header = segment.Header;
        segment.Enter();
        try
        {
            if (Acquire(&header->Mutex, timeout, cancellationToken) == AcquireOutcome.TimedOut)
            {
                return false;
            }

            try
            {
                while (!tryTake(header))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (budget.IsExpired)
                    {
                        return false;
                    }

                    LibC.TimeSpec deadline = budget.NextSliceDeadline();
                    int result = LibC.CondTimedWait(&header->Condition, &header->Mutex, &deadline);
                    if (result != LibC.ETimedOut)
                    {
                        _ = Interpret(result, &header->Mutex);
                    }
                }

                return true;
            }
            finally
            {
                Release(&header->Mutex);
            }
        }
        finally
        {
            segment.Exit();
        }
    }

    /// <summary>Under the segment's mutex, applies <paramref name="change"/> to the header and wakes every waiter.</summary>
    public static void ChangeAndBroadcast<TState>(SharedSegment segment, delegate*<SegmentHeader*, TState, void> change, TState state)
    {
        SegmentHeader* header = segment.Header;
        segment.Enter();
        try
        {
            _ = Acquire(&header->Mutex, Timeout.InfiniteTimeSpan, CancellationToken.None);
            try
            {
                change(header, state);
                Check(LibC.CondBroadcast(&header->Condition), "wake waiters");
            }
            finally
            {
                Release(&header->Mutex);
            }
        }
        finally
        {
            segment.Exit();
        }
    }

    /// <summary>
    /// With <paramref name="mutex"/> held, waits on <paramref name="condition"/> for one slice of <paramref name="budget"/>
    /// (a wake-up, a spurious wake-up or the slice's end all return); the mutex is held again on return.
    /// </summary>
    public static void WaitSlice(byte* condition, byte* mutex, in WaitBudget budget)
    {
        LibC.TimeSpec deadline = budget.NextSliceDeadline();
        int result = LibC.CondTimedWait(condition, mutex, &deadline);
        if (result != LibC.ETimedOut)
        {
            _ = Interpret(result, mutex);
        }
    }

    /// <summary>Wakes every waiter of <paramref name="condition"/>, taking <paramref name="mutex"/> so that no waiter between its check and its wait misses it.</summary>
    public static void Broadcast(byte* condition, byte* mutex)
    {
        _ = Acquire(mutex, Timeout.InfiniteTimeSpan, CancellationToken.None);
        try
        {
            Check(LibC.CondBroadcast(condition), "wake waiters");
        }
        finally
        {
            Release(mutex);
        }
    }

    private static AcquireOutcome Interpret(int result, byte* mutex)
    {
        switch (result)
        {
            case 0:
                return AcquireOutcome.Acquired;
            case LibC.EOwnerDead:
                Check(LibC.MutexConsistent(mutex), "recover an abandoned mutex");
                return AcquireOutcome.Abandoned;
            case LibC.ENotRecoverable:
                throw new InvalidOperationException("The cross-process lock can no longer be used: a previous holder died and it was not recovered.");
            default:
                Check(result, "acquire a mutex");
                return AcquireOutcome.Acquired;
        }
    }

    private static void Check(int result, string action)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"Could not {action}: pthread error {result}.");
        }
    }

    /// <summary>A timeout measured on the monotonic clock, handed out as short wall-clock deadlines for pthread waits.</summary>
    internal readonly struct WaitBudget
    {
        private readonly long _start;
        private readonly long _timeoutMilliseconds;

        public WaitBudget(TimeSpan timeout)
        {
            _start = Stopwatch.GetTimestamp();
            _timeoutMilliseconds = (long)timeout.TotalMilliseconds;
        }

        public bool IsInfinite => _timeoutMilliseconds == Timeout.Infinite;

        public bool IsExpired => !IsInfinite && ElapsedMilliseconds >= _timeoutMilliseconds;

        private long ElapsedMilliseconds => (long)Stopwatch.GetElapsedTime(_start).TotalMilliseconds;

        public LibC.TimeSpec NextSliceDeadline()
        {
            long slice = IsInfinite ? SliceMilliseconds : Math.Clamp(_timeoutMilliseconds - ElapsedMilliseconds, 0, SliceMilliseconds);
            long deadlineTicks = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) + (slice * TimeSpan.TicksPerMillisecond);
            return new LibC.TimeSpec
            {
                Seconds = deadlineTicks / TimeSpan.TicksPerSecond,
                Nanoseconds = deadlineTicks % TimeSpan.TicksPerSecond * 100,
            };
        }
    }
}
