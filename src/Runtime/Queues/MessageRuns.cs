using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ParallelDsl;

/// <summary>The items of a span as the messages of one run that a <see cref="SharedRing"/> writes.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal readonly ref struct SpanMessageSource<T> : IMessageSource
{
    private readonly ReadOnlySpan<T> _items;

    public SpanMessageSource(ReadOnlySpan<T> items) => _items = items;

    public int Count => _items.Length;

    public ReadOnlySpan<byte> Encode(int index) => MessageCodec<T>.Encode(ref Unsafe.AsRef(in _items[index]));
}

/// <summary>Decodes the messages of one run that a <see cref="SharedRing"/> drains into a span, in order.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal ref struct SpanMessageSink<T> : IMessageRunSink
{
    private readonly Span<T> _destination;
    private MessageSink<T> _assembling;

    public SpanMessageSink(Span<T> destination) => _destination = destination;

    /// <summary>How many items the sink holds.</summary>
    public int Count { get; private set; }

    public readonly int Room => _destination.Length - Count;

    public bool Add(ReadOnlySpan<byte> message)
    {
        if (Count == 0)
        {
            _destination[Count++] = Decode(message);
            return true;
        }

        try
        {
            _destination[Count] = Decode(message);
        }
        catch (Exception)
        {
            // Left in the ring: the next call takes it first and reports its failure, so the items before it arrive.
            return false;
        }

        Count++;
        return true;
    }

    public void Begin(long totalBytes) => _assembling.Begin(totalBytes);

    public void Append(ReadOnlySpan<byte> chunk) => _assembling.Append(chunk);

    public void EndAssembled() => _destination[Count++] = _assembling.TakeResult();

    /// <summary>Decodes a message that was written in one record, straight from the ring's memory.</summary>
    /// <exception cref="InvalidDataException">The message's length does not fit the element type.</exception>
    /// <exception cref="Wire.WireFormatException">The message is not a valid element.</exception>
    private static T Decode(ReadOnlySpan<byte> message)
    {
        if (typeof(T) == typeof(byte[]))
        {
            byte[] bytes = message.ToArray();
            return Unsafe.As<byte[], T>(ref bytes);
        }

        if (typeof(T) == typeof(string))
        {
            if (message.Length % sizeof(char) != 0)
            {
                throw new InvalidDataException($"A {message.Length}-byte message cannot be a string.");
            }

            string text = new(MemoryMarshal.Cast<byte, char>(message));
            return Unsafe.As<string, T>(ref text);
        }

        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            return MessageCodec<T>.DecodeWithCodec(message);
        }

        if (message.Length != Unsafe.SizeOf<T>())
        {
            throw new InvalidDataException($"A {message.Length}-byte message cannot be a {Unsafe.SizeOf<T>()}-byte {MessageCodec<T>.TypeName}.");
        }

        return Unsafe.ReadUnaligned<T>(ref MemoryMarshal.GetReference(message));
    }
}
