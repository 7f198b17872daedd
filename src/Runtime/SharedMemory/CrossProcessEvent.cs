using System;
using System.Threading;

namespace ParallelDsl;

/// <summary>
/// A manual-reset event shared by every process of the program run, like Python's <c>multiprocessing.Event</c>:
/// <see cref="Set"/> releases every waiter (now and later) until <see cref="Reset"/>. A <c>Wait</c> returns once the
/// event is set.
/// Pass it to a <see cref="RunInProcessAttribute"/> method to share it.
/// </summary>
public sealed unsafe class CrossProcessEvent : CrossProcessWaitable, ICrossProcessHandle<CrossProcessEvent>
{
    private static readonly SegmentShape Shape = SegmentShape.Synchronization(SegmentKind.Event, nameof(CrossProcessEvent));

    /// <summary>Creates an event, not set unless <paramref name="initiallySet"/>.</summary>
    /// <param name="initiallySet">Whether the event starts set.</param>
    /// <exception cref="PlatformNotSupportedException">The operating system is not Linux.</exception>
    public CrossProcessEvent(bool initiallySet = false)
        : this(Create(initiallySet))
    {
    }

    private CrossProcessEvent(SharedSegment segment)
        : base(segment, &IsSetUnderLock)
    {
    }

    /// <summary>Whether the event is set.</summary>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public bool IsSet
    {
        get
        {
            Segment.ThrowIfDisposed();
            return Volatile.Read(ref Segment.Header->EventSet) != 0;
        }
    }

    /// <summary>Sets the event and wakes every process and thread waiting for it.</summary>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public void Set() => RobustMutex.ChangeAndBroadcast(Segment, &Store, 1);

    /// <summary>Clears the event: later waits block until the next <see cref="Set"/>.</summary>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public void Reset() => RobustMutex.ChangeAndBroadcast(Segment, &Store, 0);

    /// <summary>Opens in this process the event another process of the run shared as <paramref name="handleName"/>.</summary>
    /// <param name="handleName">The <see cref="CrossProcessObject.HandleName"/> of the original event.</param>
    /// <returns>A new object for the same event; dispose it when done.</returns>
    public static CrossProcessEvent OpenHandle(string handleName) => new(SharedSegment.Open(handleName, Shape));

    /// <summary>Reports whether the event is set, for diagnostics.</summary>
    public override string ToString() => IsDisposed ? "CrossProcessEvent(disposed)" : $"CrossProcessEvent({(IsSet ? "set" : "not set")})";

    private static SharedSegment Create(bool initiallySet)
    {
        SharedSegment segment = SharedSegment.Create(Shape, SegmentIds.NewRandom());
        segment.Header->EventSet = initiallySet ? 1 : 0;
        segment.MarkReady();
        return segment;
    }

    private static void Store(SegmentHeader* header, int value) => Volatile.Write(ref header->EventSet, value);

    private static bool IsSetUnderLock(SegmentHeader* header) => header->EventSet != 0;
}
