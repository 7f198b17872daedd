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
}
