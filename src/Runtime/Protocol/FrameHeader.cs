using System;
using System.Buffers.Binary;
using System.Globalization;

namespace ParallelDsl.Wire;

/// <summary>
/// The fixed 8-byte header in front of every frame: body length (uint32, little endian), version, kind and two
/// reserved bytes that must be zero.
/// </summary>
internal readonly record struct FrameHeader(int BodyLength, FrameKind Kind)
{
    /// <summary>The size of the header in bytes.</summary>
    public const int Size = 8;

    /// <summary>The only wire version this runtime speaks.</summary>
    public const byte CurrentVersion = 1;

    /// <summary>Writes the header for a body of <paramref name="bodyLength"/> bytes.</summary>
    public static void Write(Span<byte> destination, int bodyLength, FrameKind kind)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, checked((uint)bodyLength));
        destination[4] = CurrentVersion;
        destination[5] = (byte)kind;
        destination[6] = 0;
        destination[7] = 0;
    }

    /// <summary>Reads and validates a header.</summary>
    /// <exception cref="ProtocolException">The header is not one this runtime accepts.</exception>
    public static FrameHeader Read(ReadOnlySpan<byte> source, int maxBodyLength)
    {
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(source);
        byte version = source[4];
        byte kind = source[5];
        if (version != CurrentVersion)
        {
            throw new ProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"Frame has wire version {version}; this runtime speaks version {CurrentVersion}. Parent and worker must run the same ParallelDsl version."));
        }

        if (kind is < (byte)FrameKind.Challenge or > (byte)FrameKind.Spill)
        {
            throw new ProtocolException(string.Create(CultureInfo.InvariantCulture, $"Frame has unknown kind {kind}."));
        }

        if (source[6] != 0 || source[7] != 0)
        {
            throw new ProtocolException("Frame header has non-zero reserved bytes.");
        }

        if (length > (uint)maxBodyLength)
        {
            throw new ProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"Frame of {length} bytes exceeds the maximum frame length of {maxBodyLength} bytes (ProcessSettings.MaxFrameLength)."));
        }

        return new FrameHeader((int)length, (FrameKind)kind);
    }
}
