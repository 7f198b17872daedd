using System;
using System.Buffers;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace ParallelDsl.Wire;

/// <summary>
/// Builds outgoing frames: in one reused pooled buffer while they are small, and, from the moment a frame would grow
/// past <see cref="FrameSpill.Threshold"/>, straight in a memory file (memfd) that the peer maps once it has the
/// descriptor. A large encoding is written once, into pages the receiver reads in place: no growing and copying of
/// a huge buffer, no copy through the socket.
/// </summary>
internal sealed unsafe class FrameSpillWriter : IRetractableBufferWriter, IDisposable
{
    // Pages are populated ahead of the writes in steps of this size: one system call instead of a fault per page.
    private const long PopulateStep = 2 * 1024 * 1024;

    private readonly PooledBufferWriter _pooled = new();
    private readonly bool _canSpill;
    private readonly long _capacity;
    private int _fd = -1;
    private byte* _mapping;
    private int _written;
    private long _populated;

    /// <param name="canSpill">Whether the connection can pass a memory file's descriptor.</param>
    /// <param name="maxBodyLength">The largest body a frame may have; a memory file is reserved (not filled) to hold it.</param>
    public FrameSpillWriter(bool canSpill, int maxBodyLength)
    {
        _canSpill = canSpill;
        _capacity = (long)maxBodyLength + FrameHeader.Size;
    }

    /// <summary>Whether the frame being built lives in a memory file.</summary>
    public bool IsSpilled => _mapping is not null;

    /// <summary>The bytes written since the last <see cref="Reset"/>.</summary>
    public Span<byte> WrittenSpan => IsSpilled ? new Span<byte>(_mapping, _written) : _pooled.WrittenSpan;

    /// <summary>The bytes written since the last <see cref="Reset"/>.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => IsSpilled ? new MappedMemory(_mapping, _written).Memory : _pooled.WrittenMemory;

    /// <summary>The number of bytes written since the last <see cref="Reset"/>.</summary>
    public int WrittenCount => IsSpilled ? _written : _pooled.WrittenCount;

    /// <inheritdoc/>
    public void Advance(int count)
    {
        if (!IsSpilled)
        {
            _pooled.Advance(count);
            return;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _populated - _written);
        _written += count;
    }

    /// <inheritdoc/>
    public void Retract(int count)
    {
        if (!IsSpilled)
        {
            _pooled.Retract(count);
            return;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _written);
        _written -= count;
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0) => IsSpilled || Spills(sizeHint) ? MappedSpan(sizeHint) : _pooled.GetSpan(sizeHint);

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (!IsSpilled && !Spills(sizeHint))
        {
            return _pooled.GetMemory(sizeHint);
        }

        Span<byte> free = MappedSpan(sizeHint);
        return new MappedMemory(_mapping + _written, free.Length).Memory;
    }

    /// <summary>
    /// Fixes the memory file at the bytes written, seals its size (the peer can map it without fear of it shrinking
    /// under the mapping) and returns its descriptor, which stays owned by this writer until <see cref="Reset"/>.
    /// </summary>
    /// <exception cref="IOException">The file could not be sized or sealed.</exception>
    public int Seal()
    {
        if (!IsSpilled)
        {
            throw new InvalidOperationException("The frame being built is not in a memory file.");
        }

        if (LibC.FTruncate(_fd, _written) != 0 || LibC.Fcntl(_fd, LibC.FcntlAddSeals, LibC.SealShrink | LibC.SealGrow) != 0)
        {
            throw Failure("seal the memory file of a spilled frame");
        }

        return _fd;
    }

    /// <summary>Forgets what was written; a memory file is unmapped and closed (the peer keeps its own reference).</summary>
    public void Reset()
    {
        ReleaseSpill();
        _pooled.Reset();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        ReleaseSpill();
        _pooled.Dispose();
    }

    // A frame moves to a memory file when it would grow past the threshold, whether asked for at once or by a
    // pooled buffer doubling its way there.
    private bool Spills(int sizeHint)
    {
        long needed = (long)_pooled.WrittenCount + Math.Max(sizeHint, 1);
        return _canSpill && needed > _pooled.Capacity &&
               Math.Max(needed, 2L * _pooled.Capacity) > FrameSpill.Threshold + FrameHeader.Size;
    }

    /// <summary>A span of at least <paramref name="sizeHint"/> bytes in the memory file, created on first use with what the pooled buffer held.</summary>
    private Span<byte> MappedSpan(int sizeHint)
    {
        if (!IsSpilled)
        {
            Spill();
        }

        long end = (long)_written + Math.Max(sizeHint, 1);
        if (end > _capacity)
        {
            throw new ProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"A frame of at least {end - FrameHeader.Size} bytes exceeds the maximum frame length of {_capacity - FrameHeader.Size} bytes (ProcessSettings.MaxFrameLength)."));
        }

        if (end > _populated)
        {
            long target = Math.Min(_capacity, (end + PopulateStep - 1) / PopulateStep * PopulateStep);

            // Best effort: without MADV_POPULATE_WRITE (Linux < 5.14) the pages fault in as they are written.
            _ = LibC.MAdvise((nint)(_mapping + _populated), (nuint)(target - _populated), LibC.AdvisePopulateWrite);
            _populated = target;
        }

        return new Span<byte>(_mapping + _written, (int)Math.Min(int.MaxValue, _populated - _written));
    }

    private void Spill()
    {
        int fd = LibC.MemfdCreate("paralleldsl-frame", LibC.MemfdCloseOnExec | LibC.MemfdAllowSealing);
        if (fd < 0)
        {
            throw Failure("create a memory file for a large frame");
        }

        // Sized to the largest frame but sparse: only the pages written are ever allocated.
        nint address = LibC.FTruncate(fd, _capacity) == 0
            ? LibC.MMap(0, (nuint)_capacity, LibC.ProtRead | LibC.ProtWrite, LibC.MapShared, fd, 0)
            : -1;
        if (address == -1)
        {
            IOException failure = Failure($"map a memory file of {_capacity} bytes for a large frame");
            _ = LibC.Close(fd);
            throw failure;
        }

        _fd = fd;
        _mapping = (byte*)address;
        _populated = 0;
        _written = 0;
        ReadOnlySpan<byte> small = _pooled.WrittenSpan;
        small.CopyTo(MappedSpan(small.Length));
        _written = small.Length;
        _pooled.Reset();
    }

    private void ReleaseSpill()
    {
        if (_mapping is not null)
        {
            _ = LibC.MUnmap((nint)_mapping, (nuint)_capacity);
            _ = LibC.Close(_fd);
            _mapping = null;
            _fd = -1;
            _written = 0;
            _populated = 0;
        }
    }

    private static IOException Failure(string action)
    {
        int error = Marshal.GetLastPInvokeError();
        return new IOException($"Could not {action}: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}).");
    }
}
