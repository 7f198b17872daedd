using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// The engine's queue of chunks, which the slot threads block on. Unlike a channel, a waiting slot is woken by the
/// thread that adds a chunk itself, not through a continuation on the thread pool; and a wait also ends when the
/// slot's worker has exited, so that a worker that dies while idle is replaced at once.
/// </summary>
internal sealed class PoolQueue
{
    /// <summary>
    /// How long a slot that finds the queue empty keeps looking before it sleeps. A caller that waits for one
    /// result and then submits the next task needs a few microseconds to wake up and do so; a slot that is still
    /// looking takes the task without a futex wake-up. Short enough that an idle pool costs nothing measurable.
    /// </summary>
    private static readonly long SpinTicks = Stopwatch.Frequency * 50 / 1_000_000;

    private readonly Queue<PoolChunk> _chunks = new();
    private readonly object _lock = new();
    private int _count;
    private int _spinning;
    private bool _completed;

    /// <summary>What a slot that waited on the queue should do next.</summary>
    public enum Signal
    {
        /// <summary>A chunk was taken.</summary>
        Chunk,

        /// <summary>The queue is complete and empty: no chunk will ever come.</summary>
        Completed,

        /// <summary>The slot's worker has exited; no chunk was taken.</summary>
        WorkerExited,

        /// <summary>The slot's worker was lent to a submitting thread (<see cref="PoolSlotLease"/>): watch its lane.</summary>
        Lent,
    }

    /// <summary>The number of chunks waiting.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Whether <see cref="Complete"/> was called (chunks may still wait).</summary>
    public bool IsCompleting => Volatile.Read(ref _completed);

    /// <summary>Whether the queue is complete and empty.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_lock)
            {
                return _completed && _chunks.Count == 0;
            }
        }
    }

    /// <summary>Adds a chunk and wakes one waiting slot. Call only before <see cref="Complete"/>, or while a chunk is outstanding.</summary>
    public void Add(PoolChunk chunk)
    {
        lock (_lock)
        {
            _chunks.Enqueue(chunk);
            _count = _chunks.Count;

            // A slot still spinning takes the chunk without being woken; wake a sleeping one only for the chunks
            // the spinning slots cannot take.
            if (_chunks.Count > Volatile.Read(ref _spinning))
            {
                Monitor.Pulse(_lock);
            }
        }
    }

    /// <summary>Takes the next chunk without waiting.</summary>
    public bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PoolChunk? chunk)
    {
        lock (_lock)
        {
            bool taken = _chunks.TryDequeue(out chunk);
            _count = _chunks.Count;
            return taken;
        }
    }

    /// <summary>No more chunks will be added: once the queue is empty, waiting slots learn that it is complete.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Wakes every waiting slot so that each checks its worker (one has exited).</summary>
    public void WakeAll()
    {
        lock (_lock)
        {
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>
    /// Blocks until a chunk can be taken, the queue is complete and empty, <paramref name="workerExited"/> is, or the
    /// slot's worker was lent through <paramref name="lease"/>. The slot takes its worker back from the lease before it
    /// takes a chunk or acts on the worker's exit; a lent worker is reported as <see cref="Signal.Lent"/> instead.
    /// </summary>
    public Signal Take(Task workerExited, PoolSlotLease? lease, out PoolChunk? chunk)
    {
        chunk = null;
        Interlocked.Increment(ref _spinning);
        SpinUntilAdded(workerExited, lease);
        lock (_lock)
        {
            Interlocked.Decrement(ref _spinning);
            while (true)
            {
                // The worker stays offered while the slot only looks: it is taken back to act, never just to check.
                if (lease?.IsOut == true)
                {
                    // A wake-up of an Add may have come to this slot, which takes nothing: pass it on.
                    PassOnWakeUp();
                    return Signal.Lent;
                }

                if (workerExited.IsCompleted)
                {
                    if (lease?.TryTakeBack() == false)
                    {
                        continue;
                    }

                    PassOnWakeUp();
                    return Signal.WorkerExited;
                }

                if (_chunks.Count > 0)
                {
                    if (lease?.TryTakeBack() == false)
                    {
                        continue;
                    }

                    chunk = _chunks.Dequeue();
                    _count = _chunks.Count;
                    return Signal.Chunk;
                }

                if (_completed)
                {
                    if (lease?.TryTakeBack() == false)
                    {
                        continue;
                    }

                    return Signal.Completed;
                }

                if (lease is null)
                {
                    Monitor.Wait(_lock);
                    continue;
                }

                // A lender that sees the slot asleep wakes it (WakeAll) to watch the lane.
                lease.SlotSleeping = true;
                if (!lease.IsOut)
                {
                    Monitor.Wait(_lock);
                }

                lease.SlotSleeping = false;
            }
        }
    }

    private void PassOnWakeUp()
    {
        if (_chunks.Count > 0)
        {
            Monitor.Pulse(_lock);
        }
    }

    private void SpinUntilAdded(Task workerExited, PoolSlotLease? lease)
    {
        long start = Stopwatch.GetTimestamp();
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _count) == 0 && !workerExited.IsCompleted && lease?.IsOut != true && Stopwatch.GetTimestamp() - start < SpinTicks)
        {
            // Never sleeps: on a machine with few cores it yields the processor to the thread that will add the chunk.
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
