using System;
using System.Buffers;
using System.Threading;

namespace ParallelDsl.Wire;

/// <summary>
/// A received frame whose body lives in a pooled buffer or, for a spilled frame, in a mapped memory file: dispose it
/// once the body has been consumed.
/// </summary>
internal sealed class Frame : IDisposable
{
    private byte[]? _buffer;
    private MemoryManager<byte>? _mapped;
    private readonly int _length;

    public Frame(FrameKind kind, byte[] buffer, int length)
    {
        Kind = kind;
        _buffer = buffer;
        _length = length;
    }

    /// <summary>A frame whose body is <paramref name="mapped"/>, which the frame disposes.</summary>
    public Frame(FrameKind kind, MemoryManager<byte> mapped)
    {
        Kind = kind;
        _mapped = mapped;
    }

    public FrameKind Kind { get; }

    public ReadOnlySpan<byte> Body => _mapped is { } mapped ? mapped.GetSpan() : Buffer.AsSpan(0, _length);

    /// <summary>The body as memory, for a consumer that reads it after an await; valid until disposal.</summary>
    public ReadOnlyMemory<byte> BodyMemory => _mapped is { } mapped ? mapped.Memory : Buffer.AsMemory(0, _length);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(Frame));

    public FrameReader CreateReader() => new(Body, Kind);

    public void Dispose()
    {
        ((IDisposable?)Interlocked.Exchange(ref _mapped, null))?.Dispose();
        byte[]? buffer = _buffer;
        _buffer = null;
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
