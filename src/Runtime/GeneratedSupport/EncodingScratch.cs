using System.Buffers;
using System.ComponentModel;
using System;
using ParallelDsl.Wire;

namespace ParallelDsl.GeneratedSupport;

/// <summary>
/// A per-thread buffer that generated launchers encode a call's arguments into, so that an encoding allocates only
/// its exact-sized result: no fresh writer, no first chunk, and, once the buffer has grown to a size, no growing and
/// copying for arguments of that size again. Used by generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EncodingScratch
{
    [ThreadStatic]
    private static PooledBufferWriter? t_idle;

    /// <summary>Takes this thread's buffer, empty (or a new one when it is in use, by a nested encoding).</summary>
    public static IBufferWriter<byte> Rent()
    {
        PooledBufferWriter? buffer = t_idle;
        t_idle = null;
        return buffer ?? new PooledBufferWriter();
    }

    /// <summary>
    /// Returns what was written and gives the buffer back to this thread: a copy of its exact size, or, for an encoding
    /// too large to keep a buffer for, the buffer itself (no copy).
    /// </summary>
    /// <param name="buffer">A buffer from <see cref="Rent"/>, flushed.</param>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> did not come from <see cref="Rent"/>.</exception>
    public static ReadOnlyMemory<byte> Finish(IBufferWriter<byte> buffer)
    {
        if (buffer is not PooledBufferWriter scratch)
        {
            throw new ArgumentException("The buffer did not come from EncodingScratch.Rent.", nameof(buffer));
        }

        ReadOnlyMemory<byte> encoded;
        if (scratch.WrittenCount > PooledBufferWriter.RetainedCapacity)
        {
            encoded = scratch.Detach();
        }
        else
        {
            // Uninitialised: every byte is overwritten at once.
            byte[] copy = GC.AllocateUninitializedArray<byte>(scratch.WrittenCount);
            scratch.WrittenSpan.CopyTo(copy);
            scratch.Reset();
            encoded = copy;
        }

        t_idle = scratch;
        return encoded;
    }
}
