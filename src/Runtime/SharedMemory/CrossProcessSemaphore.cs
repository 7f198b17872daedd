using System;
using System.Threading;

namespace ParallelDsl;

/// <summary>
/// A counting semaphore shared by every process of the program run, like Python's <c>multiprocessing.Semaphore</c>
/// (with a maximum, like <c>BoundedSemaphore</c>). A <c>Wait</c> returns once it has taken a permit. Pass it to a <see cref="RunInProcessAttribute"/> method to share it.
/// </summary>
/// <remarks>
/// A permit taken by a process that dies without releasing it is not given back (as with POSIX semaphores): release
/// permits in <c>finally</c> blocks, and size the semaphore for the workers that may crash.
/// </remarks>
public sealed unsafe class CrossProcessSemaphore : CrossProcessWaitable, ICrossProcessHandle<CrossProcessSemaphore>
{
    private static readonly SegmentShape Shape = SegmentShape.Synchronization(SegmentKind.Semaphore, nameof(CrossProcessSemaphore));

    /// <summary>Creates a semaphore with <paramref name="initialCount"/> free permits and at most <paramref name="maximumCount"/>.</summary>
    /// <param name="initialCount">The permits free at the start, from zero to <paramref name="maximumCount"/>.</param>
    /// <param name="maximumCount">The most permits that can be free at once; at least one.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    /// <exception cref="PlatformNotSupportedException">The operating system is not Linux.</exception>
    public CrossProcessSemaphore(int initialCount, int maximumCount = int.MaxValue)
        : this(Create(initialCount, maximumCount))
    {
    }

    private CrossProcessSemaphore(SharedSegment segment)
        : base(segment, &TryTakePermit)
    {
    }

    /// <summary>The permits free right now (it may change at once as other processes wait and release).</summary>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public int CurrentCount
    {
        get
        {
            Segment.ThrowIfDisposed();
            return (int)Volatile.Read(ref Segment.Header->SemaphoreCount);
        }
    }

    /// <summary>The most permits that can be free at once.</summary>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public int MaximumCount
    {
        get
        {
            Segment.ThrowIfDisposed();
            return (int)Segment.Header->SemaphoreMaximum;
        }
    }

    /// <summary>Gives back <paramref name="releaseCount"/> permits and wakes the waiters.</summary>
    /// <param name="releaseCount">How many permits to give back; at least one.</param>
    /// <returns>The number of free permits before the release.</returns>
    /// <exception cref="SemaphoreFullException">The release would exceed <see cref="MaximumCount"/>; nothing is released.</exception>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public int Release(int releaseCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(releaseCount, 1);
        long previous = -1;
        RobustMutex.ChangeAndBroadcast(Segment, &AddPermits, (releaseCount, (nint)(&previous)));
        if (previous < 0)
        {
            throw new SemaphoreFullException($"Releasing {releaseCount} permit(s) would exceed the semaphore's maximum of {MaximumCount}.");
        }

        return (int)previous;
    }

    /// <summary>Opens in this process the semaphore another process of the run shared as <paramref name="handleName"/>.</summary>
    /// <param name="handleName">The <see cref="CrossProcessObject.HandleName"/> of the original semaphore.</param>
    /// <returns>A new object for the same semaphore; dispose it when done.</returns>
    public static CrossProcessSemaphore OpenHandle(string handleName) => new(SharedSegment.Open(handleName, Shape));

    /// <summary>Reports the free permits, for diagnostics.</summary>
    public override string ToString() => IsDisposed ? "CrossProcessSemaphore(disposed)" : $"CrossProcessSemaphore({CurrentCount}/{MaximumCount})";

    private static SharedSegment Create(int initialCount, int maximumCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(initialCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(initialCount, maximumCount);
        SharedSegment.ThrowIfUnsupported();
        SharedSegment segment = SharedSegment.Create(Shape, SegmentIds.NewRandom());
        segment.Header->SemaphoreCount = initialCount;
        segment.Header->SemaphoreMaximum = maximumCount;
        segment.MarkReady();
        return segment;
    }

    private static bool TryTakePermit(SegmentHeader* header)
    {
        if (header->SemaphoreCount == 0)
        {
            return false;
        }

        Volatile.Write(ref header->SemaphoreCount, header->SemaphoreCount - 1);
        return true;
    }

    // Reports the count before the release through the pointer, or leaves it negative when the maximum would be passed.
    private static void AddPermits(SegmentHeader* header, (int Count, nint Previous) release)
    {
        long count = header->SemaphoreCount;
        if (count + release.Count <= header->SemaphoreMaximum)
        {
            Volatile.Write(ref header->SemaphoreCount, count + release.Count);
            *(long*)release.Previous = count;
        }
    }
}
