using System.Buffers.Binary;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System;
using ParallelDsl.Wire;

namespace ParallelDsl.GeneratedSupport;

/// <summary>
/// Reads values in the ParallelDsl wire format from a span. Used by generated codecs. Every read is bounds-checked,
/// and every length or count is checked against the bytes that remain before anything is allocated: malformed data
/// ends in a <see cref="WireFormatException"/> that says what was being read and at which offset.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct WireReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private int _depth;

    /// <summary>Creates a reader over <paramref name="data"/>.</summary>
    public WireReader(ReadOnlySpan<byte> data)
    {
        _data = data;
    }

    /// <summary>The offset of the next byte to read.</summary>
    public readonly int Position => _position;

    /// <summary>How many bytes are left.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Reads a <see cref="bool"/>; any byte other than 0 or 1 is an error.</summary>
    public bool ReadBoolean() => ReadFlag("a Boolean");

    /// <summary>Reads a <see cref="byte"/>.</summary>
    public byte ReadByte() => Take(1, "a Byte")[0];

    /// <summary>Reads an <see cref="sbyte"/>.</summary>
    public sbyte ReadSByte() => unchecked((sbyte)Take(1, "an SByte")[0]);

    /// <summary>Reads a <see cref="short"/>.</summary>
    public short ReadInt16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2, "an Int16"));

    /// <summary>Reads a <see cref="ushort"/>.</summary>
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "a UInt16"));

    /// <summary>Reads a <see cref="char"/>.</summary>
    public char ReadChar() => (char)BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "a Char"));

    /// <summary>Reads an <see cref="int"/>.</summary>
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4, "an Int32"));

    /// <summary>Reads a <see cref="uint"/>.</summary>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "a UInt32"));

    /// <summary>Reads a <see cref="long"/>.</summary>
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8, "an Int64"));

    /// <summary>Reads a <see cref="ulong"/>.</summary>
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "a UInt64"));

    /// <summary>Reads a <see cref="float"/>.</summary>
    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4, "a Single"));

    /// <summary>Reads a <see cref="double"/>.</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, "a Double"));

    /// <summary>Reads a <see cref="decimal"/>; parts that no decimal has (a scale above 28, stray flag bits) are an error.</summary>
    public decimal ReadDecimal()
    {
        int start = _position;
        ReadOnlySpan<byte> bytes = Take(16, "a Decimal");
        Span<int> parts = stackalloc int[4];
        for (int i = 0; i < 4; i++)
        {
            parts[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(i * 4, 4));
        }

        // decimal's flags word holds only the sign (bit 31) and the scale (bits 16-23, at most 28).
        int flags = parts[3];
        if ((flags & 0x7F00FFFF) != 0 || ((flags >> 16) & 0xFF) > 28)
        {
            throw Invalid($"a Decimal whose flags 0x{flags:X8} are not a sign and a scale of 0 to 28", start);
        }

        return new decimal(parts);
    }

    /// <summary>Reads a <see cref="DateTime"/> (ticks and kind), checking both ranges.</summary>
    public DateTime ReadDateTime()
    {
        int start = _position;
        long ticks = BinaryPrimitives.ReadInt64LittleEndian(Take(9, "a DateTime"));
        byte kind = _data[_position - 1];
        if ((ulong)ticks > (ulong)DateTime.MaxValue.Ticks || kind > (byte)DateTimeKind.Local)
        {
            throw Invalid($"a DateTime with ticks {ticks} and kind {kind}, outside the range of DateTime", start);
        }

        return new DateTime(ticks, (DateTimeKind)kind);
    }

    /// <summary>Reads a <see cref="DateTimeOffset"/> (clock ticks and offset minutes), checking both ranges.</summary>
    public DateTimeOffset ReadDateTimeOffset()
    {
        int start = _position;
        ReadOnlySpan<byte> bytes = Take(10, "a DateTimeOffset");
        long ticks = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        short minutes = BinaryPrimitives.ReadInt16LittleEndian(bytes.Slice(8));
        long utcTicks = ticks - (minutes * TimeSpan.TicksPerMinute);
        if ((ulong)ticks > (ulong)DateTime.MaxValue.Ticks || Math.Abs(minutes) > 14 * 60
            || (ulong)utcTicks > (ulong)DateTime.MaxValue.Ticks)
        {
            throw Invalid($"a DateTimeOffset with ticks {ticks} and offset {minutes} minutes, outside the range of DateTimeOffset", start);
        }

        return new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes));
    }

    /// <summary>Reads a <see cref="TimeSpan"/>.</summary>
    public TimeSpan ReadTimeSpan() => new(BinaryPrimitives.ReadInt64LittleEndian(Take(8, "a TimeSpan")));

    /// <summary>Reads a <see cref="Guid"/>.</summary>
    public Guid ReadGuid() => new(Take(16, "a Guid"));

    /// <summary>Reads a <see cref="DateOnly"/>, checking its range.</summary>
    public DateOnly ReadDateOnly()
    {
        int start = _position;
        int day = BinaryPrimitives.ReadInt32LittleEndian(Take(4, "a DateOnly"));
        if ((uint)day > (uint)DateOnly.MaxValue.DayNumber)
        {
            throw Invalid($"a DateOnly with day number {day}, outside the range of DateOnly", start);
        }

        return DateOnly.FromDayNumber(day);
    }

    /// <summary>Reads a <see cref="TimeOnly"/>, checking its range.</summary>
    public TimeOnly ReadTimeOnly()
    {
        int start = _position;
        long ticks = BinaryPrimitives.ReadInt64LittleEndian(Take(8, "a TimeOnly"));
        if ((ulong)ticks > (ulong)TimeOnly.MaxValue.Ticks)
        {
            throw Invalid($"a TimeOnly with ticks {ticks}, outside the range of TimeOnly", start);
        }

        return new TimeOnly(ticks);
    }

    /// <summary>Reads a string (<see langword="null"/> included); invalid UTF-8 is an error.</summary>
    public string? ReadString()
    {
        int start = _position;
        int length = ReadLength("a string length", 1);
        if (length < 0)
        {
            return null;
        }

        ReadOnlySpan<byte> bytes = Take(length, "the UTF-8 bytes of a string");
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException exception)
        {
            throw new WireFormatException($"The string at offset {start} is not valid UTF-8 ({exception.Message}).", start);
        }
    }

    /// <summary>Reads a string that must be present (the name of a cross-process handle held in a struct).</summary>
    public string ReadRequiredString(string what)
    {
        int start = _position;
        return ReadString() ?? throw Invalid($"{what}: a string is required but the data holds null", start);
    }

    /// <summary>
    /// Reads the count of a collection and enters it (one level of <see cref="WireLimits.MaxDepth"/>); -1 for
    /// <see langword="null"/>, which enters nothing. Call <see cref="EndCollection"/> after its items.
    /// </summary>
    /// <param name="minimumItemSize">The fewest bytes one item can take: the count must fit in the bytes that remain.</param>
    public int BeginCollection(int minimumItemSize)
    {
        int count = ReadLength("a collection count", minimumItemSize);
        if (count >= 0)
        {
            Enter();
        }

        return count;
    }

    /// <summary>Leaves the collection entered by <see cref="BeginCollection"/>.</summary>
    public void EndCollection() => _depth--;

    /// <summary>
    /// Reads the presence marker of an object: <see langword="false"/> for <see langword="null"/>; otherwise enters the
    /// object (one level of <see cref="WireLimits.MaxDepth"/>). Call <see cref="EndObject"/> after its members.
    /// </summary>
    public bool BeginObject()
    {
        if (!ReadFlag("an object's presence marker"))
        {
            return false;
        }

        Enter();
        return true;
    }

    /// <summary>Leaves the object entered by <see cref="BeginObject"/>.</summary>
    public void EndObject() => _depth--;

    /// <summary>Reads an array written by <see cref="WireWriter.WriteBlock{T}(T[])"/>.</summary>
    public T[]? ReadBlockArray<T>()
        where T : unmanaged
    {
        int count = ReadLength("an array count", Unsafe.SizeOf<T>());
        if (count < 0)
        {
            return null;
        }

        T[] values = GC.AllocateUninitializedArray<T>(count);
        ReadBlockItems<T>(values);
        return values;
    }

    /// <summary>Reads a list written by <see cref="WireWriter.WriteBlock{T}(List{T})"/>.</summary>
    public List<T>? ReadBlockList<T>()
        where T : unmanaged
    {
        int count = ReadLength("a list count", Unsafe.SizeOf<T>());
        if (count < 0)
        {
            return null;
        }

        var values = new List<T>(count);
        CollectionsMarshal.SetCount(values, count);
        ReadBlockItems<T>(CollectionsMarshal.AsSpan(values));
        return values;
    }

    /// <summary>The error for a dictionary whose data repeats a key, or holds a null one.</summary>
    public readonly WireFormatException InvalidDictionaryKey() =>
        new($"A dictionary key ending at offset {_position} is null or repeats an earlier key.", _position);

    /// <summary>Checks that every byte was read: left-over bytes mean the data does not match the expected types.</summary>
    public readonly void EnsureEnd()
    {
        if (Remaining != 0)
        {
            throw new WireFormatException(
                $"{Remaining} unexpected bytes follow the encoded value at offset {_position}: the data does not match the expected types.",
                _position);
        }
    }

    private void ReadBlockItems<T>(Span<T> items)
        where T : unmanaged
    {
        Span<byte> bytes = MemoryMarshal.AsBytes(items);
        Take(bytes.Length, "the items of an array or list").CopyTo(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            WireEndianness.Reverse(bytes, Unsafe.SizeOf<T>());
        }
    }

    private int ReadLength(string what, int minimumItemSize)
    {
        int start = _position;
        int length = BinaryPrimitives.ReadInt32LittleEndian(Take(4, what));
        if (length < -1)
        {
            throw Invalid($"{what} of {length}", start);
        }

        // Checked before anything is allocated: a corrupted count must fail here, not allocate gigabytes.
        if ((long)length * Math.Max(1, minimumItemSize) > Remaining)
        {
            throw new WireFormatException(
                $"Reading {what} at offset {start}: {length} items of at least {Math.Max(1, minimumItemSize)} bytes cannot fit in the {Remaining} bytes that remain.",
                start);
        }

        return length;
    }

    private bool ReadFlag(string what)
    {
        int start = _position;
        byte value = Take(1, what)[0];
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw Invalid($"{what} of {value} (only 0 and 1 are valid)", start),
        };
    }

    private void Enter()
    {
        if (++_depth > WireLimits.MaxDepth)
        {
            throw new WireFormatException(
                $"The data at offset {_position} nests objects or collections more than {WireLimits.MaxDepth} deep.", _position);
        }
    }

    // Small enough to be inlined into every read: the error is built elsewhere.
    private ReadOnlySpan<byte> Take(int size, string what)
    {
        if (size > Remaining)
        {
            ThrowTooShort(size, what);
        }

        ReadOnlySpan<byte> slice = _data.Slice(_position, size);
        _position += size;
        return slice;
    }

    [DoesNotReturn]
    private readonly void ThrowTooShort(int size, string what) =>
        throw new WireFormatException(
            $"The data ends too early: reading {what} at offset {_position} needs {size} bytes, but {Remaining} remain.", _position);

    private static WireFormatException Invalid(string what, int offset) =>
        new($"Invalid data at offset {offset}: {what}.", offset);
}
