using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ParallelDsl;

/// <summary>
/// How a queue or pipe element becomes message bytes and back: an unmanaged value is its own bytes (copied, no
/// allocation); a <c>byte[]</c> is its contents; a <see cref="string"/> is its UTF-16 characters.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class MessageCodec<T>
{
    /// <summary>How messages name the element type, such as <c>Int32</c> or <c>byte[]</c>.</summary>
    public static readonly string TypeName = typeof(T) == typeof(byte[]) ? "byte[]" : typeof(T).Name;

    /// <summary>Whether <typeparamref name="T"/> can be a queue or pipe element.</summary>
    public static bool IsSupported =>
        typeof(T) == typeof(byte[]) || typeof(T) == typeof(string) || !RuntimeHelpers.IsReferenceOrContainsReferences<T>();

    /// <summary>The stable hash of the element type, checked when another process opens the queue or pipe.</summary>
    public static ulong TypeHash => StableHash.Of(typeof(T).FullName ?? typeof(T).Name);

    /// <summary>Throws a clear exception when <typeparamref name="T"/> cannot be an element.</summary>
    public static void ThrowIfUnsupported(string container)
    {
        if (!IsSupported)
        {
            throw new NotSupportedException(
                $"A {container}<{TypeName}> cannot be created: elements must be unmanaged values (numbers, enums, structs without references), string or byte[].");
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

        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref item), Unsafe.SizeOf<T>());
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

    public readonly T Result
    {
        get
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

            return _value;
        }
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
