using System;
using System.Buffers;

namespace ParallelDsl.Wire;

/// <summary>
/// Bytes inside a memory mapping, as <see cref="Memory{T}"/>. The one that owns the mapping unmaps it on disposal;
/// the views a spilling writer hands out own nothing.
/// </summary>
internal sealed unsafe class MappedMemory : MemoryManager<byte>
{
    private readonly nint _mapping;
    private readonly nuint _mappedBytes;
    private readonly byte* _start;
    private readonly int _length;
    private bool _unmapped;

    /// <summary>A view of <paramref name="length"/> bytes at <paramref name="start"/> in a mapping someone else owns.</summary>
    public MappedMemory(byte* start, int length)
    {
        _start = start;
        _length = length;
    }

    /// <summary>Owns the mapping of <paramref name="mappedBytes"/> at <paramref name="mapping"/> and shows <paramref name="length"/> bytes from <paramref name="offset"/>.</summary>
    public MappedMemory(nint mapping, nuint mappedBytes, int offset, int length)
        : this((byte*)mapping + offset, length)
    {
        _mapping = mapping;
        _mappedBytes = mappedBytes;
    }

    /// <inheritdoc/>
    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_unmapped, this);
        return new Span<byte>(_start, _length);
    }

    /// <inheritdoc/>
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(_unmapped, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (uint)_length);
        return new MemoryHandle(_start + elementIndex);
    }

    /// <inheritdoc/>
    public override void Unpin()
    {
        // Mapped memory never moves.
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!_unmapped && _mapping != 0)
        {
            _ = LibC.MUnmap(_mapping, _mappedBytes);
        }

        _unmapped = true;
    }
}
