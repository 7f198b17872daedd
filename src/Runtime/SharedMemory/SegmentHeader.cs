using System.Runtime.InteropServices;

namespace ParallelDsl;

/// <summary>What a shared-memory segment holds; stored in its header so that opening it as something else fails clearly.</summary>
internal enum SegmentKind : ushort
{
    Value = 1,
    Array = 2,
    Lock = 3,
    Event = 4,
    Semaphore = 5,
    Queue = 6,
    Pipe = 7,
    PoolLane = 8,
}

/// <summary>
/// The first <see cref="SharedSegment.DataOffset"/> bytes of every segment: identity and shape (checked when another
/// process opens it), the state of events and semaphores, and the process-shared robust mutex and condition variable.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = SharedSegment.DataOffset)]
internal struct SegmentHeader
{
    /// <summary>"PDSM" in little-endian order: tells a ParallelDsl segment from any other memory file.</summary>
    public const uint ExpectedMagic = 0x4D534450;

    public const ushort CurrentVersion = 1;

    /// <summary><see cref="State"/> while the creator is still writing the header and the initial data.</summary>
    public const int StateCreating = 0;

    /// <summary><see cref="State"/> once the segment is fully initialised and may be used by any process.</summary>
    public const int StateReady = 1;

    /// <summary>Room reserved for a <c>pthread_mutex_t</c> (40 bytes on x86-64, 48 on AArch64).</summary>
    public const int MutexSize = 64;

    [FieldOffset(0)] public uint Magic;
    [FieldOffset(4)] public ushort Version;
    [FieldOffset(6)] public SegmentKind Kind;
    [FieldOffset(8)] public int ElementSize;
    [FieldOffset(12)] public int State;
    [FieldOffset(16)] public long Length;
    [FieldOffset(24)] public ulong Id;
    [FieldOffset(32)] public ulong TypeHash;

    /// <summary>Set when an internal acquisition found the mutex abandoned; the next <c>Lock()</c> reports and clears it.</summary>
    [FieldOffset(40)] public int AbandonedPending;

    /// <summary>Whether a <see cref="CrossProcessEvent"/> is set (1) or not (0).</summary>
    [FieldOffset(44)] public int EventSet;

    /// <summary>The free permits of a <see cref="CrossProcessSemaphore"/>.</summary>
    [FieldOffset(48)] public long SemaphoreCount;

    /// <summary>The upper bound on <see cref="SemaphoreCount"/>.</summary>
    [FieldOffset(56)] public long SemaphoreMaximum;

    /// <summary>The first byte of the robust, recursive, process-shared <c>pthread_mutex_t</c>.</summary>
    [FieldOffset(64)] public byte Mutex;

    /// <summary>The first byte of the process-shared <c>pthread_cond_t</c> (48 bytes; 64 reserved).</summary>
    [FieldOffset(64 + MutexSize)] public byte Condition;
}
