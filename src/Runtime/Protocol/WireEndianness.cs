using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ParallelDsl.Wire;

/// <summary>Turns blocks of little-endian items into native order and back on big-endian machines.</summary>
internal static class WireEndianness
{
    public static void Reverse(Span<byte> block, int itemSize)
    {
        switch (itemSize)
        {
            case 2:
                Span<ushort> shorts = MemoryMarshal.Cast<byte, ushort>(block);
                BinaryPrimitives.ReverseEndianness(shorts, shorts);
                break;
            case 4:
                Span<uint> ints = MemoryMarshal.Cast<byte, uint>(block);
                BinaryPrimitives.ReverseEndianness(ints, ints);
                break;
            case 8:
                Span<ulong> longs = MemoryMarshal.Cast<byte, ulong>(block);
                BinaryPrimitives.ReverseEndianness(longs, longs);
                break;
        }
    }
}
