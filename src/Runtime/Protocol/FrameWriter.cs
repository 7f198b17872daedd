using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ParallelDsl.Wire;

/// <summary>Writes the fields of a frame body; the counterpart of <see cref="FrameReader"/>.</summary>
internal static class FrameWriter
{
    public static void WriteByte(IBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    public static void WriteInt32(IBufferWriter<byte> writer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(sizeof(int)), value);
        writer.Advance(sizeof(int));
    }

    public static void WriteUInt64(IBufferWriter<byte> writer, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(writer.GetSpan(sizeof(ulong)), value);
        writer.Advance(sizeof(ulong));
    }

    public static void WriteBytes(IBufferWriter<byte> writer, ReadOnlySpan<byte> value) => writer.Write(value);

    /// <summary>Writes an int32 byte count followed by the UTF-8 bytes of <paramref name="value"/>.</summary>
    public static void WriteString(IBufferWriter<byte> writer, string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        WriteInt32(writer, length);
        Encoding.UTF8.GetBytes(value, writer.GetSpan(length));
        writer.Advance(length);
    }
}
