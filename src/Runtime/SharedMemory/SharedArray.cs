using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace ParallelDsl;

/// <summary>
/// A fixed-length array of an unmanaged type <typeparamref name="T"/> in shared memory, seen by every thread of this
/// process and every process of the program run: the counterpart of Python's <c>multiprocessing.Array</c>.
/// </summary>
/// <remarks>
/// <para>
/// Declare one with <c>[SharedValue(Length = 10)] static partial SharedArray&lt;int&gt; Data { get; }</c>, or create
/// one and pass it to a <see cref="RunInProcessAttribute"/> method: the child maps the same memory, so even a very
/// large array reaches it without being copied.
/// </para>
/// <para>
/// Elements are plain memory, like a managed array: concurrent writers of the same element need
/// <see cref="CrossProcessLockable.Lock()"/>, or <see cref="System.Threading.Interlocked"/> on <c>ref array[i]</c>
/// (the indexer returns a reference).
/// </para>
/// </remarks>
/// <typeparam name="T">An unmanaged type: a primitive, an enum, or a struct of them without references.</typeparam>
public sealed unsafe class SharedArray<T> : CrossProcessLockable, ICrossProcessHandle<SharedArray<T>>
    where T : unmanaged
{
    private const int MaxFormattedElements = 100;

    /// <summary>Creates a shared array of <paramref name="length"/> elements, all <c>default(T)</c>.</summary>
    /// <param name="length">The number of elements, zero or more.</param>
    /// <exception cref="PlatformNotSupportedException">The operating system is not Linux.</exception>
    public SharedArray(int length)
        : this(Create(SegmentIds.NewRandom(), length, default))
    {
    }

    /// <summary>Creates a shared array of <paramref name="length"/> elements, all <paramref name="initialValue"/>.</summary>
    /// <param name="length">The number of elements, zero or more.</param>
    /// <param name="initialValue">The value of every element.</param>
    /// <exception cref="PlatformNotSupportedException">The operating system is not Linux.</exception>
    public SharedArray(int length, T initialValue)
        : this(Create(SegmentIds.NewRandom(), length, initialValue))
    {
    }

    /// <summary>Creates a shared array holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">The initial elements.</param>
    /// <exception cref="PlatformNotSupportedException">The operating system is not Linux.</exception>
    public SharedArray(ReadOnlySpan<T> values)
        : this(CreateFrom(values))
    {
    }

    private SharedArray(SharedSegment segment)
        : base(segment)
    {
        Length = checked((int)segment.Length);
    }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>A reference to the element at <paramref name="index"/>: read it, assign it, or pass it by <c>ref</c>.</summary>
    /// <param name="index">The element's position, from 0 to <see cref="Length"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the array.</exception>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public ref T this[int index]
    {
        get
        {
            T* elements = Elements;
            if ((uint)index >= (uint)Length)
            {
                ThrowIndexOutOfRange(index);
            }

            return ref elements[index];
        }
    }

    /// <summary>Opens in this process the array another process of the run shared as <paramref name="handleName"/>.</summary>
    /// <param name="handleName">The <see cref="CrossProcessObject.HandleName"/> of the original array.</param>
    /// <returns>A new object for the same memory; dispose it when done.</returns>
    /// <exception cref="ArgumentException">The name is malformed, or names an object of another type.</exception>
    /// <exception cref="InvalidOperationException">No live process holds the array any more.</exception>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Implements ICrossProcessHandle<TSelf>.OpenHandle, which generated codecs call as T.OpenHandle(name).")]
    public static SharedArray<T> OpenHandle(string handleName) => new(SharedSegment.Open(handleName, SegmentShape.Of<T>(SegmentKind.Array, -1)));

    /// <summary>The elements as a span over the shared memory (no copy). Do not use it after disposing the array.</summary>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public Span<T> AsSpan() => new(Elements, Length);

    /// <summary>Copies the elements into a new managed array.</summary>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public T[] ToArray() => AsSpan().ToArray();

    /// <summary>Copies the elements into <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <see cref="Length"/> elements long.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the array.</exception>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public void CopyTo(Span<T> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} elements; the shared array has {Length}.", nameof(destination));
        }

        AsSpan().CopyTo(destination);
    }

    /// <summary>Enumerates the elements in place, so that <c>foreach</c> works without copying.</summary>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public Span<T>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    /// <summary>The elements as <c>[0, 1, 2]</c>, in the invariant culture; past 100 elements the rest is summarised.</summary>
    public override string ToString()
    {
        if (IsDisposed)
        {
            return "(disposed)";
        }

        Span<T> elements = AsSpan();
        var text = new StringBuilder("[");
        int shown = Math.Min(elements.Length, MaxFormattedElements);
        for (int i = 0; i < shown; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(Shared<T>.Format(elements[i]));
        }

        if (shown < elements.Length)
        {
            text.Append(", … (").Append(elements.Length - shown).Append(" more)");
        }

        return text.Append(']').ToString();
    }

    internal static SharedArray<T> FromSegment(SharedSegment segment) => new(segment);

    internal static SharedSegment Create(ulong id, int length, T initialValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        SharedSegment segment = SharedSegment.Create(SegmentShape.Of<T>(SegmentKind.Array, length), id);
        if (!IsDefault(initialValue))
        {
            new Span<T>(segment.Data, length).Fill(initialValue);
        }

        segment.MarkReady();
        return segment;
    }

    private static SharedSegment CreateFrom(ReadOnlySpan<T> values)
    {
        SharedSegment segment = SharedSegment.Create(SegmentShape.Of<T>(SegmentKind.Array, values.Length), SegmentIds.NewRandom());
        values.CopyTo(new Span<T>(segment.Data, values.Length));
        segment.MarkReady();
        return segment;
    }

    // A new memory file is zero-filled; skipping the fill keeps untouched pages of a large array unallocated.
    private static bool IsDefault(T value) => new ReadOnlySpan<byte>(&value, sizeof(T)).IndexOfAnyExcept((byte)0) < 0;

    private T* Elements
    {
        get
        {
            Segment.ThrowIfDisposed();
            return (T*)Segment.Data;
        }
    }

    [DoesNotReturn]
    private void ThrowIndexOutOfRange(int index) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, $"Index {index} is outside the shared array of length {Length}.");
}
