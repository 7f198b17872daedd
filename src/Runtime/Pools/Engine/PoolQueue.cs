using System.Collections.Generic;
using System.Threading;

namespace ParallelDsl;

/// <summary>
/// The engine's queue of chunks, which the slot threads block on. Unlike a channel, a waiting slot is woken by the
/// thread that adds a chunk itself, not through a continuation on the thread pool; and a wait also ends when the
/// slot's worker has exited, so that a worker that dies while idle is replaced at once.
/// </summary>
internal sealed class PoolQueue
{
    private readonly Queue<PoolChunk> _chunks = new();
    private readonly object _lock = new();
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
    }

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
            Monitor.Pulse(_lock);
        }
    }

    /// <summary>Takes the next chunk without waiting.</summary>
    public bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PoolChunk? chunk)
    {
        lock (_lock)
        {
            return _chunks.TryDequeue(out chunk);
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

    /// <summary>Blocks until a chunk can be taken, the queue is complete and empty, or <paramref name="workerExited"/> is.</summary>
    public Signal Take(System.Threading.Tasks.Task workerExited, out PoolChunk? chunk)
    {
        lock (_lock)
        {
            while (true)
            {
                if (workerExited.IsCompleted)
                {
                    // The wake-up of an Add may have come to this slot, which takes nothing: pass it on.
                    if (_chunks.Count > 0)
                    {
                        Monitor.Pulse(_lock);
                    }

                    chunk = null;
                    return Signal.WorkerExited;
                }

                if (_chunks.TryDequeue(out chunk))
                {
                    return Signal.Chunk;
                }

                if (_completed)
                {
                    return Signal.Completed;
                }

                Monitor.Wait(_lock);
            }
        }
    }
}
