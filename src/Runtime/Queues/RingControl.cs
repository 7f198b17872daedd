using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace ParallelDsl;

/// <summary>
/// The control block at the start of a <see cref="SharedRing"/>: positions, counters, flags, the pids of the processes
/// holding a pipe end, and the robust mutexes and condition variables. Producer and consumer fields sit on separate
/// cache lines so the two sides do not slow each other down.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal unsafe struct RingControl
{
    public const int Size = 640;
    public const int MaxHolders = 8;

    /// <summary>The byte position (ever increasing) where the next record is written; producers only.</summary>
    [FieldOffset(0)] public long Tail;

    /// <summary>How many whole messages were written; producers only.</summary>
    [FieldOffset(8)] public long Written;

    /// <summary>The byte position (ever increasing) of the next record to read; consumers only.</summary>
    [FieldOffset(64)] public long Head;

    /// <summary>How many whole messages were taken; consumers only.</summary>
    [FieldOffset(72)] public long Taken;

    [FieldOffset(128)] public long Capacity;

    /// <summary>The most messages buffered at once; zero when only <see cref="Capacity"/> bounds the ring.</summary>
    [FieldOffset(136)] public long MaxCount;

    /// <summary>Set by <c>Complete</c>: no new message may start.</summary>
    [FieldOffset(144)] public int Completed;

    /// <summary>Set once no message is being written any more after <see cref="Completed"/>: readers end when the ring is empty.</summary>
    [FieldOffset(148)] public int Sealed;

    [FieldOffset(152)] public int ReadersWaiting;
    [FieldOffset(156)] public int WritersWaiting;

    /// <summary>The pids of the processes holding the pipe end that writes this ring (zero: a free slot).</summary>
    [FieldOffset(192)] public fixed int Holders[MaxHolders];

    [FieldOffset(256)] public byte ProducerMutex;
    [FieldOffset(320)] public byte ConsumerMutex;
    [FieldOffset(384)] public byte WaitMutex;
    [FieldOffset(448)] public byte NotEmpty;
    [FieldOffset(512)] public byte NotFull;
}
