using System;
using System.Buffers;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ParallelDsl.GeneratedSupport;
using ParallelDsl.Roslyn;
using ParallelDsl.Wire;

namespace ParallelDsl;

/// <summary>
/// How a queue or pipe element becomes message bytes and back: an unmanaged value is its own bytes (copied, no
/// allocation); a <c>byte[]</c> is its contents; a <see cref="string"/> is its UTF-16 characters; any other type goes
/// through the generated codec registered in <see cref="ElementCodecs"/> (the same codecs as process arguments).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class MessageCodec<T>
{
    /// <summary>How messages name the element type, such as <c>Int32</c> or <c>byte[]</c>.</summary>
    public static readonly string TypeName = typeof(T) == typeof(byte[]) ? "byte[]" : typeof(T).Name;

    /// <summary>Whether <typeparamref name="T"/> can be a queue or pipe element.</summary>
    public static bool IsSupported => !UsesGeneratedCodec || ElementCodec<T>.Encoder is not null;

    /// <summary>Whether elements go through the generated codec rather than being copied as they are.</summary>
    public static bool UsesGeneratedCodec =>
        RuntimeHelpers.IsReferenceOrContainsReferences<T>() && typeof(T) != typeof(byte[]) && typeof(T) != typeof(string);

    /// <summary>The stable hash of the element type, checked when another process opens the queue or pipe.</summary>
    public static ulong TypeHash => StableId.Of(typeof(T).FullName ?? typeof(T).Name);

    /// <summary>Throws a clear exception when <typeparamref name="T"/> cannot be an element.</summary>
    public static void ThrowIfUnsupported(string container)
    {
        if (!IsSupported)
        {
            throw new NotSupportedException(
                $"A {container}<{TypeName}> cannot be created: {TypeName} has no generated codec. Elements are unmanaged values, strings, byte arrays, "
                + $"or types that can cross a process boundary as [RunInProcess] arguments do; the generator writes the codec of each such type that an "
                + $"assembly names in a CrossProcessQueue<T>, PipeEnd<T> or Pipe.Create<T>(), so name {TypeName} there rather than a type parameter.");
        }
    }

    /// <summary>The bytes of <paramref name="item"/>; for an unmanaged value they are the value itself, not a copy.</summary>
    /// <exception cref="ArgumentNullException">A <c>byte[]</c> or string element is null.</exception>
    public static ReadOnlySpan<byte> Encode(ref T item)
    {
        if (typeof(T) == typeof(byte[]))
        {
            return Unsafe.As<T, byte[]>(ref item) ?? throw new ArgumentNullException(nameof(item), "A null byte[] cannot be sent; send an empty array instead.");
        }

        if (typeof(T) == typeof(string))
        {
            string text = Unsafe.As<T, string>(ref item) ?? throw new ArgumentNullException(nameof(item), "A null string cannot be sent; send an empty string instead.");
            return MemoryMarshal.AsBytes(text.AsSpan());
        }

        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            return EncodeWithCodec(item);
        }

        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref item), Unsafe.SizeOf<T>());
    }

    /// <summary>Decodes a message written by <see cref="EncodeWithCodec"/>.</summary>
    /// <exception cref="WireFormatException">The bytes are not a valid <typeparamref name="T"/>.</exception>
    public static T DecodeWithCodec(ReadOnlySpan<byte> message)
    {
        ElementDecoder<T> decoder = ElementCodec<T>.Decoder ?? throw NoCodec();
        var reader = new WireReader(message);
        decoder(ref reader, out T value);
        reader.EnsureEnd();
        return value;
    }

    // The bytes live in a buffer of this thread until its next encode: the caller copies them into the ring first.
    private static ReadOnlySpan<byte> EncodeWithCodec(T item)
    {
        ElementEncoder<T> encoder = ElementCodec<T>.Encoder ?? throw NoCodec();
        ArrayBufferWriter<byte> buffer = EncodeBuffer.ForThisThread();
        var writer = new WireWriter(buffer);
        encoder(ref writer, item);
        writer.Flush();
        return buffer.WrittenSpan;
    }

    private static NotSupportedException NoCodec() => new($"{TypeName} has no generated codec registered in this process.");
}

/// <summary>The buffer each thread encodes queue and pipe elements into, reused from one message to the next.</summary>
internal static class EncodeBuffer
{
    // A buffer that grew for one large message is dropped at the next encode rather than kept for the thread's lifetime.
    private const int KeptCapacity = 1024 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public static ArrayBufferWriter<byte> ForThisThread()
    {
        ArrayBufferWriter<byte>? buffer = t_buffer;
        if (buffer is null || buffer.Capacity > KeptCapacity)
        {
            t_buffer = buffer = new ArrayBufferWriter<byte>(256);
        }

        buffer.ResetWrittenCount();
        return buffer;
    }
}

/// <summary>Collects the chunks of one message and turns them into a <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal struct MessageSink<T> : IMessageSink
{
    private T _value;
    private byte[]? _bytes;
    private int _offset;

    public void Begin(long totalBytes)
    {
        _offset = 0;
        if (typeof(T) == typeof(byte[]) || typeof(T) == typeof(string))
        {
            if (totalBytes > Array.MaxLength || (typeof(T) == typeof(string) && totalBytes % sizeof(char) != 0))
            {
                throw new InvalidDataException($"A {totalBytes}-byte message cannot be a {MessageCodec<T>.TypeName}.");
            }

            _bytes = totalBytes == 0 ? [] : GC.AllocateUninitializedArray<byte>((int)totalBytes);
        }
        else if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            if (totalBytes > Array.MaxLength)
            {
                throw new InvalidDataException($"A {totalBytes}-byte message cannot be a {MessageCodec<T>.TypeName}.");
            }

            _bytes = ArrayPool<byte>.Shared.Rent((int)totalBytes);
        }
        else if (totalBytes != Unsafe.SizeOf<T>())
        {
            throw new InvalidDataException($"A {totalBytes}-byte message cannot be a {Unsafe.SizeOf<T>()}-byte {MessageCodec<T>.TypeName}.");
        }
    }

    public void Append(ReadOnlySpan<byte> chunk)
    {
        Span<byte> target = _bytes ?? MemoryMarshal.CreateSpan(ref Unsafe.As<T, byte>(ref _value), Unsafe.SizeOf<T>());
        chunk.CopyTo(target[_offset..]);
        _offset += chunk.Length;
    }

    /// <summary>The element; for a generated codec, the message buffer goes back to its pool, so call it once.</summary>
    /// <exception cref="WireFormatException">The message is not a valid element.</exception>
    public readonly T TakeResult()
    {
        if (typeof(T) == typeof(byte[]))
        {
            byte[] bytes = _bytes!;
            return Unsafe.As<byte[], T>(ref bytes);
        }

        if (typeof(T) == typeof(string))
        {
            string text = new(MemoryMarshal.Cast<byte, char>(_bytes));
            return Unsafe.As<string, T>(ref text);
        }

        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            try
            {
                return MessageCodec<T>.DecodeWithCodec(_bytes.AsSpan(0, _offset));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(_bytes!);
            }
        }

        return _value;
    }
}

/// <summary>Collects the chunks of one message into memory the caller provides (pinned for the duration of the read).</summary>
internal unsafe struct BufferSink : IMessageSink
{
    private readonly byte* _buffer;
    private readonly int _capacity;
    private int _offset;

    public BufferSink(byte* buffer, int capacity)
    {
        _buffer = buffer;
        _capacity = capacity;
    }

    public readonly int Length => _offset;

    // Thrown before the first record is consumed, so the message stays in the ring for a larger buffer.
    public void Begin(long totalBytes)
    {
        _offset = 0;
        if (totalBytes > _capacity)
        {
            throw new ArgumentException(
                $"The next message has {totalBytes} bytes and does not fit in the {_capacity}-byte buffer; it stays in the pipe. Receive it with a buffer of at least {totalBytes} bytes.");
        }
    }

    public void Append(ReadOnlySpan<byte> chunk)
    {
        chunk.CopyTo(new Span<byte>(_buffer + _offset, _capacity - _offset));
        _offset += chunk.Length;
    }
}
