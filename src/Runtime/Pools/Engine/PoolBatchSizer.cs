using System;

namespace ParallelDsl;

/// <summary>
/// How many tasks a worker's next batch holds. Tiny tasks want big batches (the round trip is paid once per batch);
/// slow tasks want small ones (a cancelled or timed-out map stops only after the batches in flight). The size starts
/// at one task and doubles while a batch takes less than <see cref="Fast"/>; a batch that takes longer than
/// <see cref="Slow"/> shrinks it in proportion, toward <see cref="Fast"/>. It stays between 1 and
/// <see cref="MaxTasks"/>, and a batch's arguments or outcomes stay under about <see cref="MaxBytes"/>.
/// </summary>
/// <remarks>The time of a batch is measured from when the worker could start it to when its outcomes arrived.</remarks>
internal sealed class PoolBatchSizer
{
    /// <summary>The largest batch, in tasks.</summary>
    public const int MaxTasks = 65_536;

    /// <summary>The bytes of arguments, or of outcomes, a batch aims to stay under (frames are far larger at most).</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>A batch shorter than this lets the next one be twice as large.</summary>
    public static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(2);

    /// <summary>A batch longer than this makes the next one smaller.</summary>
    public static readonly TimeSpan Slow = TimeSpan.FromMilliseconds(8);

    private int _size = 1;

    /// <summary>The number of tasks the next batch should hold.</summary>
    public int Size => _size;

    /// <summary>Starts again from one task (another method's tasks have other costs).</summary>
    public void Reset() => _size = 1;

    /// <summary>Adjusts <see cref="Size"/> after a batch of <paramref name="count"/> tasks ended.</summary>
    /// <param name="count">The tasks in the batch.</param>
    /// <param name="elapsed">How long the batch took.</param>
    /// <param name="bytes">The larger of the batch's encoded arguments and outcomes, in bytes.</param>
    public void Observe(int count, TimeSpan elapsed, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int size = _size;
        if (elapsed > Slow)
        {
            size = (int)Math.Clamp(count * (Fast / elapsed), 1, size);
        }
        else if (elapsed < Fast && count * 2 > size)
        {
            // Only a batch at least half the current size says something about a larger one (not a chunk's short tail).
            size = Math.Min(size * 2, MaxTasks);
        }

        long bytesPerTask = Math.Max(1, (bytes + count - 1) / count);
        _size = (int)Math.Max(1, Math.Min(size, MaxBytes / bytesPerTask));
    }
}
