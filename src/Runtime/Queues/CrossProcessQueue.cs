using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// A first-in, first-out queue shared by every process and thread of the program run, like Python's
/// <c>multiprocessing.Queue</c>: any number of producers <c>Put</c>, any number of consumers <c>Get</c>, each item is
/// taken exactly once. Pass it to a <see cref="RunInProcessAttribute"/> method to share it.
/// </summary>
/// <typeparam name="T">
/// The element type: an unmanaged value (a number, an enum, a struct without references), whose bytes are copied into
/// shared memory; a <see cref="string"/> or <c>byte[]</c> message of any length (copied; a long one travels in chunks); or
/// any other type a <see cref="RunInProcessAttribute"/> argument can be (records, tuples, lists, dictionaries…), written
/// with the same generated codec. A type with no codec is a compile-time error (PDSL0014).
/// </typeparam>
/// <remarks>
/// <para>
/// The items live in a ring buffer in shared memory, not in a process: there is no feeder thread, and a producer that
/// exits (or is killed) right after <c>Put</c> returns loses nothing; its items stay until a consumer takes them.
/// </para>
/// <para>
/// Bounds: <c>maxCount</c> limits the buffered items (Python's <c>maxsize</c>); without it the queue is bounded only by
/// its ring (16 MiB by default: about a million small items). A cross-process queue that grew without limit would
/// need every process to remap growing shared memory; a large fixed ring keeps every operation a copy into memory all
/// processes already map. A full queue makes <c>Put</c> wait: back-pressure instead of unbounded memory use.
/// </para>
/// <para>
/// A process that dies in the middle of a <c>Put</c> or <c>Get</c> does not wedge the others (the locks are robust
/// mutexes). A consumer waiting on an empty queue whose producers all died waits until its timeout or cancellation:
/// the queue does not track who may still put; call <see cref="Complete"/> when the producers are done. Disposing the
/// queue ends this process's waiting calls (within 50 ms) with an <see cref="ObjectDisposedException"/>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// using var queue = new CrossProcessQueue&lt;int&gt;(maxCount: 1000);
/// queue.Put(42);
/// int item = queue.Get(TimeSpan.FromSeconds(5));
/// queue.Complete();
/// foreach (int rest in queue.GetConsumingEnumerable()) { }
/// </code>
/// </example>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a queue: the counterpart of Python's multiprocessing.Queue.")]
public sealed unsafe class CrossProcessQueue<T> : CrossProcessObject, ICrossProcessHandle<CrossProcessQueue<T>>
{
    /// <summary>The ring size of a queue created without one: 16 MiB.</summary>
    public const int DefaultCapacityBytes = 16 * 1024 * 1024;

    private static readonly string Description = $"CrossProcessQueue<{MessageCodec<T>.TypeName}>";

    private readonly SharedRing _ring;

    /// <summary>Creates an empty queue.</summary>
    /// <param name="maxCount">The most items buffered at once (<c>Put</c> waits while it is reached); zero for no limit but the ring's size.</param>
    /// <param name="capacityBytes">The size of the shared ring, rounded up to a power of two; each item takes 8 bytes plus its size rounded up to 8.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> cannot be an element.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A bound is out of range.</exception>
    /// <exception cref="PlatformNotSupportedException">The operating system is not Linux.</exception>
    public CrossProcessQueue(int maxCount = 0, int capacityBytes = DefaultCapacityBytes)
        : this(Create(maxCount, capacityBytes))
    {
    }

    private CrossProcessQueue(SharedSegment segment)
        : base(segment)
    {
        _ring = new SharedRing(segment, 0);
    }

    /// <summary>The most items buffered at once, or zero when only the ring's size bounds the queue.</summary>
    public int MaxCount => (int)_ring.Control->MaxCount;

    /// <summary>The size of the shared ring in bytes.</summary>
    public long CapacityBytes => _ring.Control->Capacity;

    /// <summary>The items buffered now: a snapshot, since other processes put and take at any time.</summary>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public int Count
    {
        get
        {
            Segment.ThrowIfDisposed();
            return (int)_ring.Count;
        }
    }

    /// <summary>Whether <see cref="Complete"/> was called (in any process): no more items can be put.</summary>
    public bool IsAddingCompleted
    {
        get
        {
            Segment.ThrowIfDisposed();
            return _ring.IsCompleted;
        }
    }

    /// <summary>Whether the queue is completed and every item has been taken: every <c>Get</c> now ends.</summary>
    public bool IsCompleted
    {
        get
        {
            Segment.ThrowIfDisposed();
            return _ring.IsDrained;
        }
    }

    /// <summary>Opens in this process the queue another process of the run shared as <paramref name="handleName"/>.</summary>
    /// <param name="handleName">The <see cref="CrossProcessObject.HandleName"/> of the original queue.</param>
    /// <returns>A new object for the same queue; dispose it when done.</returns>
    /// <exception cref="ArgumentException">The name is not that of a queue of <typeparamref name="T"/>.</exception>
    /// <exception cref="InvalidOperationException">No live process holds the queue any more.</exception>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Implements ICrossProcessHandle<TSelf>.OpenHandle, which generated codecs call as T.OpenHandle(name).")]
    public static CrossProcessQueue<T> OpenHandle(string handleName)
    {
        MessageCodec<T>.ThrowIfUnsupported(nameof(CrossProcessQueue<T>));
        return new(SharedSegment.Open(handleName, Shape(-1)));
    }

    /// <summary>Puts an item, waiting as long as the queue is full.</summary>
    /// <param name="item">The item; a string or byte[] must not be null.</param>
    /// <exception cref="InvalidOperationException">The queue is completed.</exception>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public void Put(T item) => Put(item, CancellationToken.None);

    /// <summary>Puts an item, waiting while the queue is full until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="item">The item; a string or byte[] must not be null.</param>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms. An item larger than a quarter of the ring that has started entering it is finished first.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled first; the item was not put.</exception>
    /// <exception cref="InvalidOperationException">The queue is completed.</exception>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public void Put(T item, CancellationToken cancellationToken) => _ = TryPut(item, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Puts an item if the queue has room now.</summary>
    /// <param name="item">The item; a string or byte[] must not be null.</param>
    /// <returns><see langword="true"/> when the item was put.</returns>
    /// <exception cref="InvalidOperationException">The queue is completed.</exception>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public bool TryPut(T item) => TryPut(item, TimeSpan.Zero, CancellationToken.None);

    /// <summary>Puts an item, waiting at most <paramref name="timeout"/> while the queue is full.</summary>
    /// <param name="item">The item; a string or byte[] must not be null.</param>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> tries once, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <returns><see langword="true"/> when the item was put; <see langword="false"/> when the timeout passed first.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first; the item was not put.</exception>
    /// <exception cref="InvalidOperationException">The queue is completed.</exception>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public bool TryPut(T item, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        TypedRing<T>.TryWrite(Segment, _ring, item, timeout, readerGone: null, Description, cancellationToken);

    /// <summary>
    /// Puts the items in order, waiting as long as the queue is full. Far faster than one <see cref="Put(T)"/> per item
    /// for small items: they enter the queue in runs, each made visible to consumers (and waking them) at once.
    /// </summary>
    /// <param name="items">The items; a string or byte[] must not be null.</param>
    /// <remarks>
    /// Other producers' items do not interleave within a run, but may come between runs (a run ends when the queue is
    /// full or at the end of <paramref name="items"/>). Consumers may take the first items before the last are put.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The queue is completed; the message says how many items were put before.</exception>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public void PutMany(ReadOnlySpan<T> items) => _ = TryPutMany(items, Timeout.InfiniteTimeSpan, CancellationToken.None);

    /// <summary>Puts the items in order, as <see cref="PutMany(ReadOnlySpan{T})"/> does, waiting at most <paramref name="timeout"/> in all while the queue is full.</summary>
    /// <param name="items">The items; a string or byte[] must not be null.</param>
    /// <param name="timeout">How long to wait in all; <see cref="TimeSpan.Zero"/> puts what fits now, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <returns>
    /// How many items were put: always the first ones, in order. Fewer than <paramref name="items"/> has when the
    /// timeout passed, or when the token was cancelled after some were put; put the rest with another call.
    /// </returns>
    /// <exception cref="OperationCanceledException">The token was cancelled before any item was put.</exception>
    /// <exception cref="InvalidOperationException">The queue is completed; the message says how many items were put before.</exception>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public int TryPutMany(ReadOnlySpan<T> items, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        TypedRing<T>.TryWriteMany(Segment, _ring, items, timeout, readerGone: null, Description, cancellationToken);

    /// <summary>
    /// Takes the oldest items, as many as are ready and fit in <paramref name="destination"/>, waiting as long as the
    /// queue is empty. Far faster than one <see cref="Get()"/> per item for small items: a run is taken at once.
    /// </summary>
    /// <param name="destination">Where the items go, oldest first.</param>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <returns>How many items were taken (at least one); zero once the queue is completed and empty.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is empty.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first; nothing was taken.</exception>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public int GetMany(Span<T> destination, CancellationToken cancellationToken = default) =>
        TryGetMany(destination, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Takes the oldest items that are ready, as <see cref="GetMany"/> does, waiting at most <paramref name="timeout"/> for the first.</summary>
    /// <param name="destination">Where the items go, oldest first.</param>
    /// <param name="timeout">How long to wait for the first item; <see cref="TimeSpan.Zero"/> takes what is there now.</param>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <returns>How many items were taken; zero when the timeout passed or the queue is completed and empty (see <see cref="IsCompleted"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is empty.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first; nothing was taken.</exception>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public int TryGetMany(Span<T> destination, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        TypedRing<T>.TryReadMany(Segment, _ring, destination, timeout, writerGone: null, cancellationToken);

    /// <summary>Takes the oldest item, waiting as long as the queue is empty.</summary>
    /// <returns>The item.</returns>
    /// <exception cref="InvalidOperationException">The queue is completed and empty.</exception>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public T Get() => Get(CancellationToken.None);

    /// <summary>Takes the oldest item, waiting while the queue is empty until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <returns>The item.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="InvalidOperationException">The queue is completed and empty.</exception>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public T Get(CancellationToken cancellationToken) =>
        TryGet(Timeout.InfiniteTimeSpan, cancellationToken, out T item) ? item : throw CompletedAndEmpty();

    /// <summary>Takes the oldest item, waiting at most <paramref name="timeout"/> while the queue is empty.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <returns>The item.</returns>
    /// <exception cref="TimeoutException">No item came within the timeout.</exception>
    /// <exception cref="InvalidOperationException">The queue is completed and empty.</exception>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public T Get(TimeSpan timeout)
    {
        if (TryGet(timeout, CancellationToken.None, out T item))
        {
            return item;
        }

        throw IsCompleted ? CompletedAndEmpty() : new TimeoutException($"The {Description} stayed empty for {timeout}.");
    }

    /// <summary>Takes the oldest item if there is one now.</summary>
    /// <param name="item">The item, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when an item was taken.</returns>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public bool TryGet(out T item) => TryGet(TimeSpan.Zero, CancellationToken.None, out item);

    /// <summary>Takes the oldest item, waiting at most <paramref name="timeout"/> while the queue is empty.</summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> tries once, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="item">The item, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when an item was taken; <see langword="false"/> when the timeout passed or the queue is completed and empty (see <see cref="IsCompleted"/>).</returns>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public bool TryGet(TimeSpan timeout, out T item) => TryGet(timeout, CancellationToken.None, out item);

    /// <summary>Takes the oldest item, waiting at most <paramref name="timeout"/> while the queue is empty, until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> tries once, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <param name="item">The item, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when an item was taken; <see langword="false"/> when the timeout passed or the queue is completed and empty (see <see cref="IsCompleted"/>).</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public bool TryGet(TimeSpan timeout, CancellationToken cancellationToken, out T item) =>
        TypedRing<T>.TryRead(Segment, _ring, timeout, writerGone: null, cancellationToken, out item);

    /// <summary>Puts an item; while the queue is full, the wait runs on a dedicated thread (a shared-memory wait cannot be awaited directly).</summary>
    /// <param name="item">The item; a string or byte[] must not be null.</param>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <returns>A task that completes once the item is put.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first; the item was not put.</exception>
    /// <exception cref="InvalidOperationException">The queue is completed.</exception>
    public ValueTask PutAsync(T item, CancellationToken cancellationToken = default) =>
        TryPut(item) ? ValueTask.CompletedTask : BlockingCall.RunAsync(() => Put(item, cancellationToken), cancellationToken);

    /// <summary>Takes the oldest item; while the queue is empty, the wait runs on a dedicated thread.</summary>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <returns>The item.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="InvalidOperationException">The queue is completed and empty.</exception>
    public ValueTask<T> GetAsync(CancellationToken cancellationToken = default) =>
        TryGet(out T item) ? ValueTask.FromResult(item) : BlockingCall.RunAsync(() => Get(cancellationToken), cancellationToken);

    /// <summary>Reads items as they come until the queue is completed and empty.</summary>
    /// <param name="cancellationToken">Stops the reading with an <see cref="OperationCanceledException"/>.</param>
    /// <returns>The items, each taken from the queue (other consumers do not see it).</returns>
    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken = default) => TypedRing<T>.ReadAllAsync(TryGet, cancellationToken);

    /// <summary>Takes items as they come, blocking while the queue is empty, until it is completed and empty.</summary>
    /// <param name="cancellationToken">Stops the enumeration with an <see cref="OperationCanceledException"/>.</param>
    /// <returns>The items, each taken from the queue (other consumers do not see it).</returns>
    public IEnumerable<T> GetConsumingEnumerable(CancellationToken cancellationToken = default)
    {
        while (TryGet(Timeout.InfiniteTimeSpan, cancellationToken, out T item))
        {
            yield return item;
        }
    }

    /// <summary>
    /// Marks the queue complete for every process: later and waiting <c>Put</c>s throw, and consumers end once they have
    /// taken what is buffered. An item that is being put at this moment is finished first. Calling it again does nothing.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public void Complete()
    {
        Segment.Enter();
        try
        {
            _ring.Complete();
        }
        finally
        {
            Segment.Exit();
        }
    }

    /// <summary>Reports the buffered items, for diagnostics.</summary>
    public override string ToString() => IsDisposed ? $"{Description}(disposed)" : $"{Description}(Count = {Count})";

    private static SegmentShape Shape(long length) =>
        new(SegmentKind.Queue, 1, MessageCodec<T>.TypeHash, length, Description);

    private static SharedSegment Create(int maxCount, int capacityBytes)
    {
        MessageCodec<T>.ThrowIfUnsupported(nameof(CrossProcessQueue<T>));
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        long capacity = SharedRing.ValidCapacity(capacityBytes, nameof(capacityBytes));
        SharedSegment.ThrowIfUnsupported();
        SharedSegment segment = SharedSegment.Create(Shape(SharedRing.BytesFor(capacity)), SegmentIds.NewRandom());
        SharedRing.Initialize(segment.Data, capacity, maxCount);
        segment.MarkReady();
        return segment;
    }

    private static InvalidOperationException CompletedAndEmpty() => new($"The {Description} is completed and empty: no item will come.");
}
