using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace ParallelDsl;

/// <summary>
/// A multi-producer, multi-consumer ring of variable-length messages in shared memory: the engine of
/// <see cref="CrossProcessQueue{T}"/> and of each direction of a <see cref="PipeEnd{T}"/>.
/// </summary>
/// <remarks>
/// <para>
/// A record is an 8-byte header (payload length, flags) and its payload, padded to 8 bytes; a record never wraps (a
/// padding record fills the end of the ring instead). A message larger than a chunk (a quarter of the ring) is split
/// into records flagged first/last; the first carries the total length, so the reader allocates once.
/// </para>
/// <para>
/// Producers take turns through a robust producer mutex and consumers through a robust consumer mutex; the bytes are
/// copied outside any lock the other side needs, and a position is published only once its record is complete. The
/// fast path makes no system call: a waiter announces itself in <see cref="RingControl.ReadersWaiting"/> /
/// <see cref="RingControl.WritersWaiting"/> and only then does the other side take the wait mutex and broadcast.
/// </para>
/// <para>
/// A process that dies holding a side's mutex leaves no half-published record; the next holder gets the mutex
/// (EOWNERDEAD, made consistent). A message whose writer died between chunks is dropped by the reader when the next
/// message starts; chunks whose reader died mid-message are skipped up to the next message.
/// </para>
/// </remarks>
internal readonly unsafe partial struct SharedRing
{
    public const int MinimumCapacity = 4096;

    private const int RecordHeader = 8;
    private const int FlagFirst = 1;
    private const int FlagLast = 2;
    private const int FlagPad = 4;
    private const int SpinsBeforeWaiting = 40;

    private readonly SharedSegment _segment;
    private readonly RingControl* _control;
    private readonly byte* _data;
    private readonly long _mask;
    private readonly int _maxChunk;

    /// <summary>The ring at <paramref name="offset"/> bytes into <paramref name="segment"/>'s data.</summary>
    public SharedRing(SharedSegment segment, long offset)
    {
        _segment = segment;
        byte* at = segment.Data + offset;
        _control = (RingControl*)at;
        _data = at + RingControl.Size;
        long capacity = _control->Capacity;
        _mask = capacity - 1;
        _maxChunk = (int)Math.Min((capacity / 4) - RecordHeader - sizeof(long), int.MaxValue - 64);
    }

    public RingControl* Control => _control;

    /// <summary>The messages buffered now (a snapshot: other processes change it at any time).</summary>
    public long Count => Math.Max(0, Volatile.Read(ref _control->Written) - Volatile.Read(ref _control->Taken));

    /// <summary>Whether no more messages may start.</summary>
    public bool IsCompleted => Volatile.Read(ref _control->Completed) != 0;

    /// <summary>Whether the ring is completed and every message has been read.</summary>
    public bool IsDrained => Volatile.Read(ref _control->Sealed) != 0 && Volatile.Read(ref _control->Tail) == Volatile.Read(ref _control->Head);

    /// <summary>The shared bytes a ring of <paramref name="capacity"/> occupies.</summary>
    public static long BytesFor(long capacity) => RingControl.Size + capacity;

    /// <summary>Rounds a requested capacity up to the power of two the ring uses, checking its range.</summary>
    public static long ValidCapacity(long requested, string parameterName)
    {
        const long maximum = 1L << 40;
        if (requested < MinimumCapacity || requested > maximum)
        {
            throw new ArgumentOutOfRangeException(parameterName, requested, $"The capacity must be from {MinimumCapacity} bytes to {maximum} bytes.");
        }

        return (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)requested);
    }

    /// <summary>Writes the control block of a new, empty ring at <paramref name="at"/> (zero-filled memory).</summary>
    public static void Initialize(byte* at, long capacity, long maxCount)
    {
        var control = (RingControl*)at;
        control->Capacity = capacity;
        control->MaxCount = maxCount;
        RobustMutex.Initialize(&control->ProducerMutex);
        RobustMutex.Initialize(&control->ConsumerMutex);
        RobustMutex.Initialize(&control->WaitMutex);
        RobustMutex.InitializeCondition(&control->NotEmpty);
        RobustMutex.InitializeCondition(&control->NotFull);
    }

    /// <summary>
    /// Writes one message. Waits (at most <paramref name="timeout"/>, until <paramref name="cancellationToken"/>) for the
    /// producers' turn and for room for the first chunk; once a message has started, its remaining chunks wait for
    /// room without a timeout, so a message is never left half-written.
    /// </summary>
    /// <returns><see langword="false"/> when the timeout passed before the message started.</returns>
    /// <exception cref="InvalidOperationException">The ring is completed.</exception>
    /// <exception cref="IOException">The reading pipe end is closed.</exception>
    public bool Write(ReadOnlySpan<byte> message, TimeSpan timeout, PeerGone? readerGone, string description, CancellationToken cancellationToken)
    {
        var budget = new RobustMutex.WaitBudget(timeout);
        if (RobustMutex.Acquire(&_control->ProducerMutex, timeout, cancellationToken) == AcquireOutcome.TimedOut)
        {
            return false;
        }

        try
        {
            ThrowIfClosedForWriting(readerGone, checkLiveness: false, started: false, description);
            if (_control->MaxCount > 0 && !WaitForRoom(&HasCountRoom, 0, budget, readerGone, started: false, description, cancellationToken))
            {
                return false;
            }

            return WriteChunks(message, budget, readerGone, description, cancellationToken);
        }
        finally
        {
            RobustMutex.Release(&_control->ProducerMutex);
        }
    }

    // The producers' turn is held; room for one more message (count) was already waited for.
    private bool WriteChunks(ReadOnlySpan<byte> message, in RobustMutex.WaitBudget budget, PeerGone? readerGone, string description, CancellationToken cancellationToken)
    {
        bool multiChunk = message.Length > _maxChunk;
        int offset = 0;
        do
        {
            int chunk = Math.Min(message.Length - offset, _maxChunk);
            bool first = offset == 0;
            bool last = offset + chunk == message.Length;
            int payload = chunk + (first && multiChunk ? sizeof(long) : 0);
            long need = RecordSize(payload);
            if (!HasSpace(_control, _control->Tail, need))
            {
                bool started = !first;
                var remaining = started ? new RobustMutex.WaitBudget(Timeout.InfiniteTimeSpan) : budget;
                if (!WaitForRoom(&HasSpace, need, remaining, readerGone, started, description, started ? CancellationToken.None : cancellationToken))
                {
                    return false;
                }
            }

            int flags = (first ? FlagFirst : 0) | (last ? FlagLast : 0);
            Publish(PlaceRecord(_control->Tail, message.Slice(offset, chunk), payload, flags, multiChunk ? message.Length : -1), last ? 1 : 0);
            offset += chunk;
        }
        while (offset < message.Length);

        return true;
    }

    /// <summary>
    /// Reads one message into <paramref name="sink"/>. Waits (at most <paramref name="timeout"/>, until
    /// <paramref name="cancellationToken"/>) for the consumers' turn and for a message to start; once it has started,
    /// the rest is awaited without a timeout.
    /// </summary>
    /// <exception cref="EndOfStreamException">The writing pipe end closed in the middle of a message.</exception>
    public ReadOutcome Read<TSink>(ref TSink sink, TimeSpan timeout, PeerGone? writerGone, CancellationToken cancellationToken)
        where TSink : struct, IMessageSink, allows ref struct
    {
        var budget = new RobustMutex.WaitBudget(timeout);
        if (RobustMutex.Acquire(&_control->ConsumerMutex, timeout, cancellationToken) == AcquireOutcome.TimedOut)
        {
            return ReadOutcome.TimedOut;
        }

        try
        {
            return ReadOne(ref sink, budget, writerGone, cancellationToken);
        }
        finally
        {
            RobustMutex.Release(&_control->ConsumerMutex);
        }
    }

    // The consumers' turn is held.
    private ReadOutcome ReadOne<TSink>(ref TSink sink, in RobustMutex.WaitBudget budget, PeerGone? writerGone, CancellationToken cancellationToken)
        where TSink : struct, IMessageSink, allows ref struct
    {
        bool assembling = false;
        while (true)
        {
            if (Volatile.Read(ref _control->Tail) == _control->Head)
            {
                ReadOutcome waited = assembling
                    ? WaitForData(new RobustMutex.WaitBudget(Timeout.InfiniteTimeSpan), writerGone, CancellationToken.None)
                    : WaitForData(budget, writerGone, cancellationToken);
                if (waited == ReadOutcome.End && assembling)
                {
                    throw new EndOfStreamException("The writing end closed in the middle of a message; the partial message was dropped.");
                }

                if (waited != ReadOutcome.Message)
                {
                    return waited;
                }
            }

            long head = _control->Head;
            byte* record = _data + (head & _mask);
            int length = *(int*)record;
            int flags = *(int*)(record + sizeof(int));
            long next = head + RecordSize(length);
            if ((flags & FlagPad) != 0)
            {
                Advance(next);
                continue;
            }

            byte* payload = record + RecordHeader;
            bool last = (flags & FlagLast) != 0;
            if ((flags & FlagFirst) != 0)
            {
                long total = last ? length : *(long*)payload;
                if (!last)
                {
                    payload += sizeof(long);
                    length -= sizeof(long);
                }

                sink.Begin(total);
                assembling = true;
            }

            if (assembling)
            {
                sink.Append(new ReadOnlySpan<byte>(payload, length));
            }

            if (last)
            {
                // Counted even for the tail of a message whose reader died: it was counted when written.
                Volatile.Write(ref _control->Taken, _control->Taken + 1);
            }

            Advance(next);
            if (last && assembling)
            {
                return ReadOutcome.Message;
            }
        }
    }

    /// <summary>
    /// Stops new messages: waiting and later writers fail, readers end once they have read what is buffered. A message
    /// being written when this is called is finished first.
    /// </summary>
    public void Complete()
    {
        if (Interlocked.Exchange(ref _control->Completed, 1) == 0)
        {
            RobustMutex.Broadcast(&_control->NotFull, &_control->WaitMutex);
        }

        _ = RobustMutex.Acquire(&_control->ProducerMutex, Timeout.InfiniteTimeSpan, CancellationToken.None);
        Volatile.Write(ref _control->Sealed, 1);
        RobustMutex.Release(&_control->ProducerMutex);
        WakeAll();
    }

    /// <summary>Wakes every waiting reader and writer so they look again (a pipe end closed, for instance).</summary>
    public void WakeAll()
    {
        RobustMutex.Broadcast(&_control->NotEmpty, &_control->WaitMutex);
        RobustMutex.Broadcast(&_control->NotFull, &_control->WaitMutex);
    }

    private static long RecordSize(long payload) => (RecordHeader + payload + 7) & ~7L;

    private static bool HasCountRoom(RingControl* control, long unused) => HasCountRoomFor(control, 1) || Volatile.Read(ref control->Completed) != 0;

    // Whether MaxCount leaves room for this many messages more than Written counts.
    private static bool HasCountRoomFor(RingControl* control, long messages) =>
        control->MaxCount <= 0 || control->Written + messages - Volatile.Read(ref control->Taken) <= control->MaxCount;

    private static bool HasSpace(RingControl* control, long need) => HasSpace(control, control->Tail, need);

    // Room for one more message of `need` bytes (zero: a long message, whose chunks wait for space themselves).
    private static bool HasSpaceAndCountRoom(RingControl* control, long need) =>
        ((need == 0 || HasSpace(control, control->Tail, need)) && HasCountRoomFor(control, 1)) || Volatile.Read(ref control->Completed) != 0;

    private static bool HasSpace(RingControl* control, long tail, long need)
    {
        long free = control->Capacity - (tail - Volatile.Read(ref control->Head));
        long toEnd = control->Capacity - (tail & (control->Capacity - 1));
        return need <= toEnd ? need <= free : toEnd + need <= free;
    }

    // Writes a record at `tail` (after a padding record when it would not fit before the end) without publishing it;
    // returns the position after it.
    private long PlaceRecord(long tail, ReadOnlySpan<byte> chunk, int payload, int flags, long totalLength)
    {
        long position = tail & _mask;
        long toEnd = _control->Capacity - position;
        long size = RecordSize(payload);
        if (size > toEnd)
        {
            *(int*)(_data + position) = (int)(toEnd - RecordHeader);
            *(int*)(_data + position + sizeof(int)) = FlagPad;
            tail += toEnd;
            position = 0;
        }

        byte* record = _data + position;
        *(int*)record = payload;
        *(int*)(record + sizeof(int)) = flags;
        byte* destination = record + RecordHeader;
        if (totalLength >= 0 && (flags & FlagFirst) != 0)
        {
            *(long*)destination = totalLength;
            destination += sizeof(long);
        }

        chunk.CopyTo(new Span<byte>(destination, chunk.Length));
        return tail + size;
    }

    // Makes the records placed up to `tail` visible, with the `messages` they complete, and wakes a waiting reader.
    private void Publish(long tail, long messages)
    {
        if (tail == _control->Tail)
        {
            return;
        }

        if (messages > 0)
        {
            // Counted before they are visible, so that Count never goes below zero while a reader takes them.
            Volatile.Write(ref _control->Written, _control->Written + messages);
        }

        Volatile.Write(ref _control->Tail, tail);
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _control->ReadersWaiting) != 0)
        {
            RobustMutex.Broadcast(&_control->NotEmpty, &_control->WaitMutex);
        }
    }

    private void Advance(long head)
    {
        Volatile.Write(ref _control->Head, head);
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _control->WritersWaiting) != 0)
        {
            RobustMutex.Broadcast(&_control->NotFull, &_control->WaitMutex);
        }
    }
}
