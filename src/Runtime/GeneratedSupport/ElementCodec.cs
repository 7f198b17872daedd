using System.ComponentModel;
using System.Threading;

namespace ParallelDsl.GeneratedSupport;

/// <summary>Writes one queue or pipe element with a generated codec.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <param name="writer">Where the element goes.</param>
/// <param name="value">The element.</param>
public delegate void ElementEncoder<T>(ref WireWriter writer, T value);

/// <summary>Reads one queue or pipe element with a generated codec.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <param name="reader">Where the element comes from.</param>
/// <param name="value">The element.</param>
public delegate void ElementDecoder<T>(ref WireReader reader, out T value);

/// <summary>
/// The generated codecs of queue and pipe element types that the runtime cannot copy by itself (anything but unmanaged
/// values, strings and byte arrays). Generated code registers one, when its assembly loads, for every element type the
/// assembly names in a <c>CrossProcessQueue&lt;T&gt;</c>, a <c>PipeEnd&lt;T&gt;</c> or <c>Pipe.Create&lt;T&gt;()</c>;
/// user code has no reason to call it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ElementCodecs
{
    /// <summary>
    /// Registers the codec of <typeparamref name="T"/>. Several assemblies may register one for the same type (each
    /// generates its own from the same declaration, so they agree on the bytes); the first stays.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="encoder">Writes an element.</param>
    /// <param name="decoder">Reads an element.</param>
    public static void Register<T>(ElementEncoder<T> encoder, ElementDecoder<T> decoder)
    {
        System.ArgumentNullException.ThrowIfNull(encoder);
        System.ArgumentNullException.ThrowIfNull(decoder);
        ElementCodec<T>.Set(encoder, decoder);
    }
}

/// <summary>The registered codec of <typeparamref name="T"/>, if any (see <see cref="ElementCodecs"/>).</summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class ElementCodec<T>
{
    private static Pair? s_codec;

    /// <summary>The registered encoder, or <see langword="null"/> when no assembly of the program registered one.</summary>
    public static ElementEncoder<T>? Encoder => Volatile.Read(ref s_codec)?.Encoder;

    /// <summary>The registered decoder, or <see langword="null"/> when no assembly of the program registered one.</summary>
    public static ElementDecoder<T>? Decoder => Volatile.Read(ref s_codec)?.Decoder;

    public static void Set(ElementEncoder<T> encoder, ElementDecoder<T> decoder) =>
        Interlocked.CompareExchange(ref s_codec, new Pair(encoder, decoder), null);

    private sealed record Pair(ElementEncoder<T> Encoder, ElementDecoder<T> Decoder);
}
