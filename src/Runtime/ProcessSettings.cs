using System;
using System.Threading;

namespace ParallelDsl;

/// <summary>Process-wide settings of the process runtime. Set them before starting the first worker.</summary>
public static class ProcessSettings
{
    /// <summary>The default of <see cref="MaxFrameLength"/>: 256 MiB.</summary>
    public const int DefaultMaxFrameLength = 256 * 1024 * 1024;

    private static int s_maxFrameLength = DefaultMaxFrameLength;
    private static long s_connectTimeoutTicks = TimeSpan.FromSeconds(20).Ticks;
    private static int s_poolLanes = 1;

    /// <summary>
    /// The largest frame body, in bytes, that parent and workers exchange: it bounds the encoded arguments of one
    /// call and the encoded result. A larger frame is refused with a <see cref="ProtocolException"/> before any
    /// memory is allocated for it. Workers inherit the value of the process that starts them. Default 256 MiB;
    /// between 64 KiB and 1 GiB.
    /// </summary>
    public static int MaxFrameLength
    {
        get => Volatile.Read(ref s_maxFrameLength);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 64 * 1024);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1024 * 1024 * 1024);
            Volatile.Write(ref s_maxFrameLength, value);
        }
    }

    /// <summary>
    /// How long a parent waits for a new worker to connect back before it kills it and reports a
    /// <see cref="MissingMainGuardException"/>. A worker that exits without connecting is reported at once.
    /// Default 20 seconds.
    /// </summary>
    public static TimeSpan ConnectTimeout
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref s_connectTimeoutTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            Interlocked.Exchange(ref s_connectTimeoutTicks, value.Ticks);
        }
    }

    /// <summary>
    /// Whether process pools (on Linux) give each worker a shared-memory lane, through which a single task submitted
    /// to an idle worker travels there and back without a system call: a round trip of a few microseconds. The cost:
    /// after each task, an idle worker watches its lane for 100 µs before it sleeps. Turn lanes off where that
    /// matters more; tasks then travel through each worker's socket, a round trip of a few tens of microseconds.
    /// Read when a pool starts a worker. Default <see langword="true"/>.
    /// </summary>
    public static bool PoolLanes
    {
        get => Volatile.Read(ref s_poolLanes) != 0;
        set => Volatile.Write(ref s_poolLanes, value ? 1 : 0);
    }
}
