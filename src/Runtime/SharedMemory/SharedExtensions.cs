using System.Threading;

namespace ParallelDsl;

/// <summary>
/// Atomic arithmetic on shared integers (<c>int</c>, <c>long</c>, <c>uint</c>, <c>ulong</c>): interlocked instructions
/// on the shared memory itself, safe across threads and processes. Each returns the new value; unsigned values wrap.
/// </summary>
public static unsafe class SharedExtensions
{
    /// <summary>Atomically adds <paramref name="value"/> and returns the new value.</summary>
    /// <param name="shared">The shared integer.</param>
    /// <param name="value">The amount to add (negative to subtract).</param>
    /// <returns>The value after the addition.</returns>
    public static int Add(this Shared<int> shared, int value) => Interlocked.Add(ref *Location(shared), value);

    /// <inheritdoc cref="Add(Shared{int}, int)"/>
    public static long Add(this Shared<long> shared, long value) => Interlocked.Add(ref *Location(shared), value);

    /// <inheritdoc cref="Add(Shared{int}, int)"/>
    public static uint Add(this Shared<uint> shared, uint value) => Interlocked.Add(ref *Location(shared), value);

    /// <inheritdoc cref="Add(Shared{int}, int)"/>
    public static ulong Add(this Shared<ulong> shared, ulong value) => Interlocked.Add(ref *Location(shared), value);

    /// <summary>Atomically adds one and returns the new value.</summary>
    /// <param name="shared">The shared integer.</param>
    /// <returns>The value after the increment.</returns>
    public static int Increment(this Shared<int> shared) => Interlocked.Increment(ref *Location(shared));

    /// <inheritdoc cref="Increment(Shared{int})"/>
    public static long Increment(this Shared<long> shared) => Interlocked.Increment(ref *Location(shared));

    /// <inheritdoc cref="Increment(Shared{int})"/>
    public static uint Increment(this Shared<uint> shared) => Interlocked.Increment(ref *Location(shared));

    /// <inheritdoc cref="Increment(Shared{int})"/>
    public static ulong Increment(this Shared<ulong> shared) => Interlocked.Increment(ref *Location(shared));

    /// <summary>Atomically subtracts one and returns the new value.</summary>
    /// <param name="shared">The shared integer.</param>
    /// <returns>The value after the decrement.</returns>
    public static int Decrement(this Shared<int> shared) => Interlocked.Decrement(ref *Location(shared));

    /// <inheritdoc cref="Decrement(Shared{int})"/>
    public static long Decrement(this Shared<long> shared) => Interlocked.Decrement(ref *Location(shared));

    /// <inheritdoc cref="Decrement(Shared{int})"/>
    public static uint Decrement(this Shared<uint> shared) => Interlocked.Decrement(ref *Location(shared));

    /// <inheritdoc cref="Decrement(Shared{int})"/>
    public static ulong Decrement(this Shared<ulong> shared) => Interlocked.Decrement(ref *Location(shared));

    private static T* Location<T>(Shared<T> shared)
        where T : unmanaged
    {
        System.ArgumentNullException.ThrowIfNull(shared);
        return shared.Location;
    }
}
