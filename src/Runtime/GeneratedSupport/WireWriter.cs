using System.Buffers.Binary;
using System.Buffers;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;
using System;
using ParallelDsl.Wire;

namespace ParallelDsl.GeneratedSupport;

/// <summary>
/// Writes values in the ParallelDsl wire format (little-endian, length-prefixed) to an <see cref="IBufferWriter{T}"/>.
/// Used by generated codecs; call <see cref="Flush"/> when done, or the last bytes stay buffered.
/// </summary>
/// <remarks>
/// The writer takes spans from the output in chunks and commits them on <see cref="Flush"/> (or when it needs a new
/// chunk), so writing a value costs no call through the interface and no allocation.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct WireWriter
{
    private const int ChunkSize = 512;

    // Strings up to this many UTF-16 units are encoded straight into a worst-case-sized span (3 bytes per unit);
    // longer ones are measured first, so a long string never asks the output for three times its size.
    private const int DirectStringLength = 1024;

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _chunk;
    private int _used;
    private int _depth;
    private long _flushed;

    /// <summary>Creates a writer that appends to <paramref name="output"/>.</summary>
    public WireWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>The number of bytes written through this writer, flushed or not: a position for <see cref="Rewind"/>.</summary>
    public readonly long BytesWritten => _flushed + _used;

    /// <summary>Commits every byte written so far to the output.</summary>
    public void Flush()
    {
        if (_used > 0)
        {
            _output.Advance(_used);
            _flushed += _used;
        }

        _chunk = default;
        _used = 0;
    }

    /// <summary>
    /// Takes back everything written after <paramref name="position"/>, a value of <see cref="BytesWritten"/> taken
    /// between two top-level values, so that a value whose encoding failed half-way leaves nothing behind. Bytes not
    /// flushed yet can always be taken back; flushed ones only from the runtime's own frame buffers.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> is not between 0 and <see cref="BytesWritten"/>.</exception>
    /// <exception cref="NotSupportedException">Flushed bytes would have to be taken back from another kind of output.</exception>
    public void Rewind(long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, BytesWritten);
        _depth = 0;
        if (position >= _flushed)
        {
            _used = (int)(position - _flushed);
            return;
        }

        if (_output is not IRetractableBufferWriter frame)
        {
            throw new NotSupportedException("Only a frame buffer of the runtime can take back bytes that were already flushed to it.");
        }

        frame.Retract((int)(_flushed - position));
        _flushed = position;
        _chunk = default;
        _used = 0;
    }

    /// <summary>Writes a <see cref="bool"/> as one byte, 0 or 1.</summary>
    public void WriteBoolean(bool value) => Take(1)[0] = value ? (byte)1 : (byte)0;

    /// <summary>Writes a <see cref="byte"/>.</summary>
    public void WriteByte(byte value) => Take(1)[0] = value;

    /// <summary>Writes an <see cref="sbyte"/>.</summary>
    public void WriteSByte(sbyte value) => Take(1)[0] = unchecked((byte)value);

    /// <summary>Writes a <see cref="short"/>.</summary>
    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16LittleEndian(Take(2), value);

    /// <summary>Writes a <see cref="ushort"/>.</summary>
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), value);

    /// <summary>Writes a <see cref="char"/> as its UTF-16 code unit.</summary>
    public void WriteChar(char value) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), value);

    /// <summary>Writes an <see cref="int"/>.</summary>
    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);

    /// <summary>Writes a <see cref="uint"/>.</summary>
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Take(4), value);

    /// <summary>Writes a <see cref="long"/>.</summary>
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);

    /// <summary>Writes a <see cref="ulong"/>.</summary>
    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Take(8), value);

    /// <summary>Writes a <see cref="float"/> bit for bit (NaN payloads and negative zero survive).</summary>
    public void WriteSingle(float value) => BinaryPrimitives.WriteSingleLittleEndian(Take(4), value);

    /// <summary>Writes a <see cref="double"/> bit for bit (NaN payloads and negative zero survive).</summary>
    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Take(8), value);

    /// <summary>Writes a <see cref="decimal"/> as its four 32-bit parts, so its scale survives (1.0 stays 1.0, not 1).</summary>
    public void WriteDecimal(decimal value)
    {
        Span<int> parts = stackalloc int[4];
        decimal.GetBits(value, parts);
        Span<byte> slot = Take(16);
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(slot.Slice(i * 4, 4), parts[i]);
        }
    }

    /// <summary>Writes a <see cref="DateTime"/> as its ticks and its <see cref="DateTime.Kind"/>.</summary>
    public void WriteDateTime(DateTime value)
    {
        WriteInt64(value.Ticks);
        WriteByte((byte)value.Kind);
    }

    /// <summary>Writes a <see cref="DateTimeOffset"/> as its clock ticks and its offset in minutes.</summary>
    public void WriteDateTimeOffset(DateTimeOffset value)
    {
        WriteInt64(value.Ticks);
        WriteInt16((short)(value.Offset.Ticks / TimeSpan.TicksPerMinute));
    }

    /// <summary>Writes a <see cref="TimeSpan"/> as its ticks.</summary>
    public void WriteTimeSpan(TimeSpan value) => WriteInt64(value.Ticks);

    /// <summary>Writes a <see cref="Guid"/> as its 16 bytes.</summary>
    public void WriteGuid(Guid value) => value.TryWriteBytes(Take(16));

    /// <summary>Writes a <see cref="DateOnly"/> as its day number.</summary>
    public void WriteDateOnly(DateOnly value) => WriteInt32(value.DayNumber);

    /// <summary>Writes a <see cref="TimeOnly"/> as its ticks.</summary>
    public void WriteTimeOnly(TimeOnly value) => WriteInt64(value.Ticks);

    /// <summary>Writes a string as its UTF-8 byte count (-1 for <see langword="null"/>) and its UTF-8 bytes.</summary>
    /// <exception cref="NotSupportedException">The string holds an unpaired surrogate, which UTF-8 cannot represent.</exception>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        if (value.Length <= DirectStringLength)
        {
            Span<byte> slot = Peek(4 + (value.Length * 3));
            int written = EncodeUtf8(value, slot.Slice(4));
            BinaryPrimitives.WriteInt32LittleEndian(slot, written);
            _used += 4 + written;
            return;
        }

        int count = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteInt32(count);
        EncodeUtf8(value, Take(count));
    }

    /// <summary>Writes the marker of a <see langword="null"/> string, array, list or dictionary.</summary>
    public void WriteNullCount() => WriteInt32(-1);

    /// <summary>
    /// Writes the count of a collection and enters it (one level of <see cref="WireLimits.MaxDepth"/>).
    /// Call <see cref="EndCollection"/> after its items.
    /// </summary>
    public void BeginCollection(int count)
    {
        Enter(null);
        WriteInt32(count);
    }

    /// <summary>Leaves the collection entered by <see cref="BeginCollection"/>.</summary>
    public void EndCollection() => _depth--;

    /// <summary>
    /// Writes the presence marker of an object: 0 and <see langword="false"/> for <see langword="null"/>, otherwise 1
    /// and <see langword="true"/>, entering the object (one level of <see cref="WireLimits.MaxDepth"/>). Call
    /// <see cref="EndObject"/> after its members.
    /// </summary>
    /// <param name="value">The object.</param>
    /// <param name="declaredType">
    /// For a class that is not sealed, the declared type: a value of a derived type is refused, because the codec
    /// would silently drop the members only the derived type has. <see langword="null"/> for sealed classes.
    /// </param>
    /// <exception cref="NotSupportedException">The value's run-time type is not <paramref name="declaredType"/>, or it is nested too deep.</exception>
    public bool BeginObject([NotNullWhen(true)] object? value, Type? declaredType = null)
    {
        if (value is null)
        {
            WriteByte(0);
            return false;
        }

        if (declaredType is not null)
        {
            RequireExactType(value, declaredType);
        }

        Enter(value);
        WriteByte(1);
        return true;
    }

    /// <summary>Leaves the object entered by <see cref="BeginObject"/>.</summary>
    public void EndObject() => _depth--;

    /// <summary>
    /// Refuses a value whose run-time type derives from the declared one (a subclass of a list, a dictionary or a class
    /// that is not sealed): its extra data would otherwise be lost without a word.
    /// </summary>
    /// <exception cref="NotSupportedException">The run-time type differs from <paramref name="declaredType"/>.</exception>
    public static void RequireExactType(object value, Type declaredType)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(declaredType);
        Type actual = value.GetType();
        if (actual != declaredType)
        {
            throw new NotSupportedException(
                $"A value of type '{actual.FullName}' was passed where '{declaredType.FullName}' is declared. Only the declared type's " +
                $"members cross a process boundary, so the data only '{actual.Name}' has would be lost: declare the parameter or member " +
                $"as '{actual.Name}', or pass a '{declaredType.Name}'.");
        }
    }

    /// <summary>Writes an array of a primitive numeric type (or char) as its count and one block of little-endian bytes.</summary>
    public void WriteBlock<T>(T[]? values)
        where T : unmanaged
    {
        if (values is null)
        {
            WriteNullCount();
            return;
        }

        WriteBlockItems<T>(values);
    }

    /// <summary>Writes a list of a primitive numeric type (or char) as its count and one block of little-endian bytes.</summary>
    public void WriteBlock<T>(List<T>? values)
        where T : unmanaged
    {
        if (values is null)
        {
            WriteNullCount();
            return;
        }

        RequireExactType(values, typeof(List<T>));
        WriteBlockItems<T>(CollectionsMarshal.AsSpan(values));
    }

    private void WriteBlockItems<T>(ReadOnlySpan<T> items)
        where T : unmanaged
    {
        WriteInt32(items.Length);

        // The whole block at once, as strings are: a contiguous output grows once to fit it, where chunk after chunk
        // would make it double its way there, allocating (and, for a large block, page-faulting) about twice the size.
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(items);
        Span<byte> slot = Take(bytes.Length);
        bytes.CopyTo(slot);
        if (!BitConverter.IsLittleEndian)
        {
            WireEndianness.Reverse(slot, Unsafe.SizeOf<T>());
        }
    }

    private void Enter(object? value)
    {
        if (++_depth > WireLimits.MaxDepth)
        {
            string where = value is null ? "a collection" : $"a '{value.GetType().FullName}'";
            throw new NotSupportedException(
                $"The value is nested more than {WireLimits.MaxDepth} objects or collections deep (at {where}). That usually " +
                "means a cycle, such as a node that refers back to an earlier one: process codecs copy trees, not graphs.");
        }
    }

    private static int EncodeUtf8(string value, Span<byte> destination)
    {
        OperationStatus status = Utf8.FromUtf16(value, destination, out _, out int written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            throw new NotSupportedException(
                "A string holds an unpaired surrogate (half of a UTF-16 pair); UTF-8 cannot represent it, so it cannot cross a process boundary unchanged.");
        }

        return written;
    }

    private Span<byte> Take(int size)
    {
        Span<byte> slot = Peek(size);
        _used += size;
        return slot.Slice(0, size);
    }

    // A span of at least size bytes at the write position, not yet counted as written. Small enough to be inlined
    // into every write: taking a new chunk happens elsewhere.
    private Span<byte> Peek(int size)
    {
        if (_chunk.Length - _used < size)
        {
            NextChunk(size);
        }

        return _chunk.Slice(_used);
    }

    private void NextChunk(int size)
    {
        Flush();
        _chunk = _output.GetSpan(Math.Max(size, ChunkSize));
    }
}
