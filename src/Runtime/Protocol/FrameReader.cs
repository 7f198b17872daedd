using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ParallelDsl.Wire;

/// <summary>Reads the fields of a frame body, checking every read against the body's length.</summary>
internal ref struct FrameReader
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly FrameKind _kind;
    private int _position;

    public FrameReader(ReadOnlySpan<byte> body, FrameKind kind)
    {
        _body = body;
        _kind = kind;
    }

    public byte ReadByte() => Take(1, "byte")[0];

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int), "int32"));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(sizeof(ulong), "uint64"));

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count, "bytes");

    /// <summary>Reads a string written by <see cref="FrameWriter.WriteString"/>: an int32 byte count and UTF-8.</summary>
    public string ReadString() => DecodeString(ReadStringBytes(), _kind);

    /// <summary>Reads the UTF-8 bytes of a string written by <see cref="FrameWriter.WriteString"/>, without decoding them.</summary>
    public ReadOnlySpan<byte> ReadStringBytes()
    {
        int length = ReadInt32();
        if (length < 0)
        {
            throw Invalid($"a negative string length {length}");
        }

        return Take(length, "string");
    }

    /// <summary>Decodes the UTF-8 bytes of a string that a <paramref name="kind"/> frame held.</summary>
    /// <exception cref="ProtocolException">The bytes are not valid UTF-8.</exception>
    public static string DecodeString(ReadOnlySpan<byte> utf8, FrameKind kind)
    {
        try
        {
            return Encoding.UTF8.GetString(utf8);
        }
        catch (DecoderFallbackException exception)
        {
            throw new ProtocolException($"{kind} frame holds a string that is not valid UTF-8.", exception);
        }
    }

    /// <summary>Everything after the current position.</summary>
    public ReadOnlySpan<byte> ReadRest()
    {
        ReadOnlySpan<byte> rest = _body[_position..];
        _position = _body.Length;
        return rest;
    }

    /// <summary>Fails when the body has bytes left over.</summary>
    public readonly void EnsureEnd()
    {
        if (_position != _body.Length)
        {
            throw Invalid($"{_body.Length - _position} unexpected trailing bytes");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > _body.Length - _position)
        {
            throw Invalid($"only {_body.Length - _position} bytes left at offset {_position} where {count} bytes of {what} were expected");
        }

        ReadOnlySpan<byte> taken = _body.Slice(_position, count);
        _position += count;
        return taken;
    }

    private readonly ProtocolException Invalid(string detail) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Malformed {_kind} frame ({_body.Length} bytes): {detail}."));
}
