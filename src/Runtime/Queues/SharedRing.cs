using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace ParallelDsl;

/// <summary>
/// The control block at the start of a <see cref="SharedRing"/>: positions, counters, flags, the pids of the processes
/// holding a pipe end, and the robust mutexes and condition variables. Producer and consumer fields sit on separate
/// cache lines so the two sides do not slow each other down.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal unsafe struct RingControl
{
    public const int Size = 640;
    public const int MaxHolders = 8;

    /// <summary>The byte position (ever increasing) where the next record is written; producers only.</summary>
    [FieldOffset(0)] public long Tail;

    /// <summary>How many whole messages were written; producers only.</summary>
    [FieldOffset(8)] public long Written;

    /// <summary>The byte position (ever increasing) of the next record to read; consumers only.</summary>
    [FieldOffset(64)] public long Head;

    /// <summary>How many whole messages were taken; consumers only.</summary>
    [FieldOffset(72)] public long Taken;

    [FieldOffset(128)] public long Capacity;

    /// <summary>The most messages buffered at once; zero when only <see cref="Capacity"/> bounds the ring.</summary>
    [FieldOffset(136)] public long MaxCount;

    /// <summary>Set by <c>Complete</c>: no new message may start.</summary>
    [FieldOffset(144)] public int Completed;

    /// <summary>Set once no message is being written any more after <see cref="Completed"/>: readers end when the ring is empty.</summary>
    [FieldOffset(148)] public int Sealed;

    [FieldOffset(152)] public int ReadersWaiting;
    [FieldOffset(156)] public int WritersWaiting;

    /// <summary>The pids of the processes holding the pipe end that writes this ring (zero: a free slot).</summary>
    [FieldOffset(192)] public fixed int Holders[MaxHolders];

    [FieldOffset(256)] public byte ProducerMutex;
    [FieldOffset(320)] public byte ConsumerMutex;
    [FieldOffset(384)] public byte WaitMutex;
    [FieldOffset(448)] public byte NotEmpty;
    [FieldOffset(512)] public byte NotFull;
}

/// <summary>What a read of a <see cref="SharedRing"/> produced.</summary>
internal enum ReadOutcome
{
    Message,
    TimedOut,

    /// <summary>The ring is empty and no message will come: the queue is completed, or the writing pipe end is closed.</summary>
    End,
}

/// <summary>Receives the bytes of one message as a <see cref="SharedRing"/> reads it, chunk by chunk.</summary>
internal interface IMessageSink
{
    void Begin(long totalBytes);

    void Append(ReadOnlySpan<byte> chunk);
}

/// <summary>Gives a <see cref="SharedRing"/> the messages of a run, one at a time, as it writes them.</summary>
internal interface IMessageSource
{
    /// <summary>How many messages the run has.</summary>
    int Count { get; }

    /// <summary>The bytes of message <paramref name="index"/>; valid until the next call.</summary>
    ReadOnlySpan<byte> Encode(int index);
}

/// <summary>Receives whole messages as a <see cref="SharedRing"/> drains a run of them.</summary>
internal interface IMessageRunSink : IMessageSink
{
    /// <summary>How many more messages the sink takes.</summary>
    int Room { get; }

    /// <summary>
    /// Takes one whole message (one that was written in one record). Returns <see langword="false"/> to leave it in the
    /// ring for the next read (allowed only when the sink already holds a message); throws to take it and fail.
    /// </summary>
    bool Add(ReadOnlySpan<byte> message);

    /// <summary>Takes the message just assembled through <see cref="IMessageSink.Begin"/> and <see cref="IMessageSink.Append"/>.</summary>
    void EndAssembled();
}

/// <summary>
/// Tells a <see cref="SharedRing"/> whether the other side of a pipe is gone: <paramref name="checkLiveness"/> asks
/// for the thorough check (are the holders' processes alive), made only while waiting.
/// </summary>
internal delegate bool PeerGone(bool checkLiveness);

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
internal readonly unsafe struct SharedRing
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

    /// <summary>
    /// Writes the messages of <paramref name="source"/> from <paramref name="start"/> on, in order, in one turn of the
    /// producers: the records are copied back to back and published together (one position update, one wake-up) when
    /// the run ends or the ring fills up. Waits for the turn and for room as <see cref="Write"/> does, the budget
    /// covering the whole call; a message larger than a chunk takes <see cref="Write"/>'s chunked path.
    /// </summary>
    /// <returns>
    /// How many messages were written. Fewer than the run's rest (but at least one) when, while waiting for room, the
    /// timeout passed, the token was cancelled, the ring was completed or the reader went away: the next call then
    /// reports that condition as <see cref="Write"/> does. Zero only when the timeout passed before the first message.
    /// </returns>
    /// <exception cref="InvalidOperationException">The ring is completed.</exception>
    /// <exception cref="IOException">The reading pipe end is closed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the first message was written.</exception>
    public int WriteMany<TSource>(ref TSource source, int start, TimeSpan timeout, PeerGone? readerGone, string description, CancellationToken cancellationToken)
        where TSource : struct, IMessageSource, allows ref struct
    {
        var budget = new RobustMutex.WaitBudget(timeout);
        if (RobustMutex.Acquire(&_control->ProducerMutex, timeout, cancellationToken) == AcquireOutcome.TimedOut)
        {
            return 0;
        }

        long tail = _control->Tail;
        long pending = 0;
        int written = 0;
        try
        {
            ThrowIfClosedForWriting(readerGone, checkLiveness: false, started: false, description);
            for (int i = start; i < source.Count; i++)
            {
                ReadOnlySpan<byte> message = source.Encode(i);
                long need = message.Length > _maxChunk ? 0 : RecordSize(message.Length);
                if (need == 0 || !HasSpace(_control, tail, need) || !HasCountRoomFor(_control, pending + 1))
                {
                    Publish(tail, pending);
                    pending = 0;
                    if (!WaitForRunRoom(need, budget, readerGone, description, firstOfRun: written == 0, cancellationToken))
                    {
                        break;
                    }

                    if (need == 0)
                    {
                        // Larger than a chunk: its own chunked write, which publishes as it goes.
                        if (!WriteChunks(message, budget, readerGone, description, written == 0 ? cancellationToken : CancellationToken.None))
                        {
                            break;
                        }

                        tail = _control->Tail;
                        written++;
                        continue;
                    }

                    tail = _control->Tail;
                }

                tail = PlaceRecord(tail, message, message.Length, FlagFirst | FlagLast, totalLength: -1);
                pending++;
                written++;
            }

            return written;
        }
        finally
        {
            Publish(tail, pending);
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

    // Inside a run, a reason to stop waiting ends the run instead of failing it: the messages already written stay
    // written, and the caller's next call reports the reason. The first message of a run fails as Write does.
    private bool WaitForRunRoom(long need, in RobustMutex.WaitBudget budget, PeerGone? readerGone, string description, bool firstOfRun, CancellationToken cancellationToken)
    {
        try
        {
            return WaitForRoom(&HasSpaceAndCountRoom, need, budget, readerGone, started: false, description, cancellationToken);
        }
        catch (Exception e) when (!firstOfRun && e is InvalidOperationException or IOException or OperationCanceledException)
        {
            return false;
        }
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

    /// <summary>
    /// Takes every message that is ready, up to what <paramref name="sink"/> has room for, in one turn of the consumers:
    /// one position update and one wake-up for the whole run. Waits (at most <paramref name="timeout"/>, until
    /// <paramref name="cancellationToken"/>) only for the first message. A message written in several chunks is taken
    /// on its own, as <see cref="Read"/> takes it.
    /// </summary>
    /// <returns><see cref="ReadOutcome.Message"/> when at least one message went to the sink.</returns>
    /// <exception cref="EndOfStreamException">The writing pipe end closed in the middle of a message.</exception>
    /// <remarks>
    /// A message the sink cannot decode is taken and its exception thrown when it comes first; after other messages the
    /// sink leaves it in the ring for the next call, so the messages before it are not lost with it.
    /// </remarks>
    public ReadOutcome ReadMany<TSink>(ref TSink sink, TimeSpan timeout, PeerGone? writerGone, CancellationToken cancellationToken)
        where TSink : struct, IMessageRunSink, allows ref struct
    {
        var budget = new RobustMutex.WaitBudget(timeout);
        if (RobustMutex.Acquire(&_control->ConsumerMutex, timeout, cancellationToken) == AcquireOutcome.TimedOut)
        {
            return ReadOutcome.TimedOut;
        }

        long head = _control->Head;
        long taken = 0;
        int messages = 0;
        try
        {
            while (true)
            {
                if (Volatile.Read(ref _control->Tail) == head)
                {
                    Commit(ref head, ref taken);
                    ReadOutcome waited = WaitForData(budget, writerGone, cancellationToken);
                    if (waited != ReadOutcome.Message)
                    {
                        return waited;
                    }
                }

                long tail = Volatile.Read(ref _control->Tail);
                while (head != tail && sink.Room > 0)
                {
                    byte* record = _data + (head & _mask);
                    int length = *(int*)record;
                    int flags = *(int*)(record + sizeof(int));
                    long next = head + RecordSize(length);
                    if ((flags & FlagPad) != 0)
                    {
                        head = next;
                        continue;
                    }

                    if ((flags & FlagFirst) != 0 && (flags & FlagLast) == 0)
                    {
                        // The first chunk of a long message: it is assembled on its own, after the run so far.
                        if (messages > 0)
                        {
                            return ReadOutcome.Message;
                        }

                        Commit(ref head, ref taken);
                        ReadOutcome outcome = ReadOne(ref sink, budget, writerGone, cancellationToken);
                        head = _control->Head;
                        if (outcome == ReadOutcome.Message)
                        {
                            sink.EndAssembled();
                        }

                        return outcome;
                    }

                    if ((flags & FlagFirst) == 0)
                    {
                        // The rest of a message whose reader died: skipped; it was counted when written.
                        taken += (flags & FlagLast) != 0 ? 1 : 0;
                        head = next;
                        continue;
                    }

                    bool accepted;
                    try
                    {
                        accepted = sink.Add(new ReadOnlySpan<byte>(record + RecordHeader, length));
                    }
                    catch
                    {
                        // Taken with its failure, as Read takes a message that does not decode.
                        head = next;
                        taken++;
                        throw;
                    }

                    if (!accepted)
                    {
                        return ReadOutcome.Message;
                    }

                    head = next;
                    taken++;
                    messages++;
                }

                if (messages > 0)
                {
                    return ReadOutcome.Message;
                }
            }
        }
        finally
        {
            Commit(ref head, ref taken);
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

    // Publishes what a run consumed: the count first, so that Count never goes below zero, then the position.
    private void Commit(ref long head, ref long taken)
    {
        if (taken > 0)
        {
            Volatile.Write(ref _control->Taken, _control->Taken + taken);
            taken = 0;
        }

        if (head != _control->Head)
        {
            Advance(head);
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

    // A message already started is finished even after Complete, so that readers never see half of it.
    private void ThrowIfClosedForWriting(PeerGone? readerGone, bool checkLiveness, bool started, string description)
    {
        if (!started && Volatile.Read(ref _control->Completed) != 0)
        {
            throw new InvalidOperationException($"The {description} is completed: no more items can be put.");
        }

        if (readerGone?.Invoke(checkLiveness) == true)
        {
            throw new IOException($"The other end of the {description} is closed (disposed, or its process exited): nothing sent can be received.");
        }
    }

    private bool WaitForRoom(delegate*<RingControl*, long, bool> hasRoom, long need, RobustMutex.WaitBudget budget, PeerGone? readerGone, bool started, string description, CancellationToken cancellationToken)
    {
        if (Spin(hasRoom, need, budget))
        {
            ThrowIfClosedForWriting(readerGone, checkLiveness: false, started, description);
            return true;
        }

        Interlocked.Increment(ref _control->WritersWaiting);
        try
        {
            _ = RobustMutex.Acquire(&_control->WaitMutex, Timeout.InfiniteTimeSpan, CancellationToken.None);
            try
            {
                // A closed end wakes its peer; a dead process cannot, so its liveness is checked after a full slice.
                bool sliceWaited = false;
                while (!hasRoom(_control, need))
                {
                    ThrowIfClosedForWriting(readerGone, checkLiveness: sliceWaited, started, description);
                    cancellationToken.ThrowIfCancellationRequested();
                    _segment.ThrowIfDisposed();
                    if (budget.IsExpired)
                    {
                        return false;
                    }

                    RobustMutex.WaitSlice(&_control->NotFull, &_control->WaitMutex, budget);
                    sliceWaited = true;
                }

                ThrowIfClosedForWriting(readerGone, checkLiveness: false, started, description);
                return true;
            }
            finally
            {
                RobustMutex.Release(&_control->WaitMutex);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _control->WritersWaiting);
        }
    }

    private ReadOutcome WaitForData(RobustMutex.WaitBudget budget, PeerGone? writerGone, CancellationToken cancellationToken)
    {
        if (Spin(&HasData, 0, budget))
        {
            return ReadOutcome.Message;
        }

        Interlocked.Increment(ref _control->ReadersWaiting);
        try
        {
            _ = RobustMutex.Acquire(&_control->WaitMutex, Timeout.InfiniteTimeSpan, CancellationToken.None);
            try
            {
                bool sliceWaited = false;
                while (true)
                {
                    // The end is decided before looking at the data, so a message written just before it is not lost.
                    // A closed end wakes its peer; a dead process cannot, so its liveness is checked after a full slice.
                    bool ended = Volatile.Read(ref _control->Sealed) != 0 || writerGone?.Invoke(checkLiveness: sliceWaited) == true;
                    if (HasData(_control, 0))
                    {
                        return ReadOutcome.Message;
                    }

                    if (ended)
                    {
                        return ReadOutcome.End;
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    _segment.ThrowIfDisposed();
                    if (budget.IsExpired)
                    {
                        return ReadOutcome.TimedOut;
                    }

                    RobustMutex.WaitSlice(&_control->NotEmpty, &_control->WaitMutex, budget);
                    sliceWaited = true;
                }
            }
            finally
            {
                RobustMutex.Release(&_control->WaitMutex);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _control->ReadersWaiting);
        }
    }

    private static bool HasData(RingControl* control, long unused) => Volatile.Read(ref control->Tail) != control->Head;

    // A short spin catches the other side's next step without a system call when both are busy; it yields the core
    // early because the other side may be waiting for it. A call that may not wait only looks once.
    private bool Spin(delegate*<RingControl*, long, bool> ready, long argument, in RobustMutex.WaitBudget budget)
    {
        var spinner = default(SpinWait);
        for (int i = 0; i < SpinsBeforeWaiting && !budget.IsExpired; i++)
        {
            if (ready(_control, argument))
            {
                return true;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return ready(_control, argument);
    }
}
