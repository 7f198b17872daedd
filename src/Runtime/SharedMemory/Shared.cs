using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;

namespace ParallelDsl;

/// <summary>
/// One value of an unmanaged type <typeparamref name="T"/> in shared memory, seen by every thread of this process and
/// every process of the program run: the counterpart of Python's <c>multiprocessing.Value</c>.
/// </summary>
/// <remarks>
/// <para>
/// Declare one with <c>[SharedValue] static partial Shared&lt;int&gt; Counter { get; }</c>, or create one with
/// <c>new Shared&lt;T&gt;(…)</c> and pass it to a <see cref="RunInProcessAttribute"/> method: the child opens the same
/// memory.
/// </para>
/// <para>
/// <see cref="Value"/> reads and writes are atomic, with acquire/release fences for 1, 2, 4 and 8-byte types, and
/// taken under the value's lock for larger ones. <c>Value += 1</c> is a read followed by a write, not an atomic update:
/// use <see cref="Update(Func{T, T})"/>, the <see cref="SharedExtensions">Add/Increment/Decrement</see> extensions,
/// or hold <see cref="CrossProcessLockable.Lock()"/> around the read and the write.
/// </para>
/// </remarks>
/// <typeparam name="T">An unmanaged type: a primitive, an enum, or a struct of them without references.</typeparam>
[SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Shared<T> is the product's name for Python's Value (see DESIGN.md); Visual Basic callers write [Shared].")]
public sealed unsafe class Shared<T> : CrossProcessLockable, ICrossProcessHandle<Shared<T>>
    where T : unmanaged
{
    private static readonly SegmentShape Shape = SegmentShape.Of<T>(SegmentKind.Value, 1);

    /// <summary>Creates a shared value holding <c>default(T)</c>.</summary>
    /// <exception cref="PlatformNotSupportedException">The operating system is not Linux.</exception>
    public Shared()
        : this(default(T))
    {
    }

    /// <summary>Creates a shared value holding <paramref name="initialValue"/>.</summary>
    /// <param name="initialValue">The value the shared memory starts with.</param>
    /// <exception cref="PlatformNotSupportedException">The operating system is not Linux.</exception>
    public Shared(T initialValue)
        : this(Create(SegmentIds.NewRandom(), initialValue))
    {
    }

    private Shared(SharedSegment segment)
        : base(segment)
    {
    }

    /// <summary>The current value. Reads and writes are atomic; see the remarks on the type for read-modify-write.</summary>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public T Value
    {
        get
        {
            T* location = Location;
            return Unsafe.SizeOf<T>() switch
            {
                1 => Unsafe.BitCast<byte, T>(Volatile.Read(ref *(byte*)location)),
                2 => Unsafe.BitCast<ushort, T>(Volatile.Read(ref *(ushort*)location)),
                4 => Unsafe.BitCast<uint, T>(Volatile.Read(ref *(uint*)location)),
                8 => Unsafe.BitCast<ulong, T>(Volatile.Read(ref *(ulong*)location)),
                _ => UnderLock((nint)location, static address => *(T*)address),
            };
        }

        set
        {
            T* location = Location;
            switch (Unsafe.SizeOf<T>())
            {
                case 1:
                    Volatile.Write(ref *(byte*)location, Unsafe.BitCast<T, byte>(value));
                    break;
                case 2:
                    Volatile.Write(ref *(ushort*)location, Unsafe.BitCast<T, ushort>(value));
                    break;
                case 4:
                    Volatile.Write(ref *(uint*)location, Unsafe.BitCast<T, uint>(value));
                    break;
                case 8:
                    Volatile.Write(ref *(ulong*)location, Unsafe.BitCast<T, ulong>(value));
                    break;
                default:
                    _ = UnderLock(((nint)location, value), static state => *(T*)state.Item1 = state.value);
                    break;
            }
        }
    }

    /// <summary>
    /// Atomically replaces the value with <paramref name="update"/>(current value) and returns the new value, even when
    /// other threads and processes update it at the same time.
    /// </summary>
    /// <param name="update">Computes the new value from the current one. For 1, 2, 4 and 8-byte types it runs in a
    /// compare-and-swap loop and may be called more than once, so it must have no side effects; for larger types it
    /// runs once, under the value's lock.</param>
    /// <returns>The value <paramref name="update"/> produced and that was stored.</returns>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public T Update(Func<T, T> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        T* location = Location;
        return Unsafe.SizeOf<T>() switch
        {
            1 => CompareExchangeLoop((byte*)location, update),
            2 => CompareExchangeLoop((ushort*)location, update),
            4 => CompareExchangeLoop((uint*)location, update),
            8 => CompareExchangeLoop((ulong*)location, update),
            _ => UnderLock(((nint)location, update), static state => *(T*)state.Item1 = state.update(*(T*)state.Item1)),
        };
    }

    /// <summary>Opens in this process the value another process of the run shared as <paramref name="handleName"/>.</summary>
    /// <param name="handleName">The <see cref="CrossProcessObject.HandleName"/> of the original value.</param>
    /// <returns>A new object for the same memory; dispose it when done.</returns>
    /// <exception cref="ArgumentException">The name is malformed, or names an object of another type.</exception>
    /// <exception cref="InvalidOperationException">No live process holds the value any more.</exception>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Implements ICrossProcessHandle<TSelf>.OpenHandle, which generated codecs call as T.OpenHandle(name).")]
    public static Shared<T> OpenHandle(string handleName) => new(SharedSegment.Open(handleName, Shape));

    /// <summary>The current value, formatted with the invariant culture (or <c>(disposed)</c>).</summary>
    public override string ToString() => IsDisposed ? "(disposed)" : Format(Value);

    internal static Shared<T> FromSegment(SharedSegment segment) => new(segment);

    internal static SharedSegment Create(ulong id, T initialValue)
    {
        SharedSegment segment = SharedSegment.Create(Shape, id);
        *(T*)segment.Data = initialValue;
        segment.MarkReady();
        return segment;
    }

    /// <summary>The value's address, for the integer extensions' interlocked operations.</summary>
    internal T* Location
    {
        get
        {
            Segment.ThrowIfDisposed();
            return (T*)Segment.Data;
        }
    }

    internal static string Format(T value) =>
        value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value.ToString() ?? string.Empty;

    private static T CompareExchangeLoop<TBits>(TBits* word, Func<T, T> update)
        where TBits : unmanaged
    {
        // A plain first read is fine: a stale value only makes the first compare-and-swap fail and retry.
        TBits current = *word;
        while (true)
        {
            T next = update(Unsafe.BitCast<TBits, T>(current));
            TBits seen = Interlocked.CompareExchange(ref *word, Unsafe.BitCast<T, TBits>(next), current);
            if (EqualityComparer<TBits>.Default.Equals(seen, current))
            {
                return next;
            }

            current = seen;
        }
    }
}
