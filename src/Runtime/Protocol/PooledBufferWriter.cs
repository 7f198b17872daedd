using System;
using System.Buffers;

namespace ParallelDsl.Wire;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over one array rented from <see cref="ArrayPool{T}.Shared"/> and reused from
/// frame to frame, so steady traffic allocates nothing.
/// </summary>
internal sealed class PooledBufferWriter : IRetractableBufferWriter, IDisposable
{
    private const int InitialCapacity = 4096;

    /// <summary>A buffer grown for one huge frame is given back instead of being held for the channel's lifetime.</summary>
    public const int RetainedCapacity = 4 * 1024 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialCapacity);
    private int _written;

    /// <summary>The bytes written since the last <see cref="Reset"/>.</summary>
    public Span<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>The bytes written since the last <see cref="Reset"/>.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>The number of bytes written since the last <see cref="Reset"/>.</summary>
    public int WrittenCount => _written;

    /// <summary>The size of the buffer: how much can be written before it grows.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Forgets what was written, keeping the buffer unless it grew very large.</summary>
    public void Reset()
    {
        _written = 0;
        if (_buffer.Length > RetainedCapacity)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialCapacity);
        }
    }

    /// <summary>
    /// Hands over the bytes written, in the buffer they were written to, and starts again with a fresh small buffer:
    /// a large encoding leaves without a copy (its array is not returned to the pool; the collector takes it).
    /// </summary>
    public ReadOnlyMemory<byte> Detach()
    {
        ReadOnlyMemory<byte> written = _buffer.AsMemory(0, _written);
        _buffer = ArrayPool<byte>.Shared.Rent(InitialCapacity);
        _written = 0;
        return written;
    }

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    /// <summary>Takes back the last <paramref name="count"/> bytes written.</summary>
    public void Retract(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _written);
        _written -= count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void EnsureCapacity(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        long target = Math.Max((long)_buffer.Length * 2, (long)_written + needed);
        int capacity = (int)Math.Min(target, Array.MaxLength);
        if (capacity - _written < needed)
        {
            throw new InvalidOperationException("A frame cannot exceed the largest array size.");
        }

        byte[] grown = ArrayPool<byte>.Shared.Rent(capacity);
        _buffer.AsSpan(0, _written).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }
}
