using System;
using System.Buffers;

namespace ParallelDsl.Wire;

/// <summary>A received frame whose body lives in a pooled buffer: dispose it once the body has been consumed.</summary>
internal sealed class Frame : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    public Frame(FrameKind kind, byte[] buffer, int length)
    {
        Kind = kind;
        _buffer = buffer;
        _length = length;
    }

    public FrameKind Kind { get; }

    public ReadOnlySpan<byte> Body => (_buffer ?? throw new ObjectDisposedException(nameof(Frame))).AsSpan(0, _length);

    /// <summary>The body as memory, for a consumer that reads it after an await; valid until disposal.</summary>
    public ReadOnlyMemory<byte> BodyMemory => (_buffer ?? throw new ObjectDisposedException(nameof(Frame))).AsMemory(0, _length);

    public FrameReader CreateReader() => new(Body, Kind);

    public void Dispose()
    {
        byte[]? buffer = _buffer;
        _buffer = null;
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
