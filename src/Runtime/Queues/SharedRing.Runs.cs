using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace ParallelDsl;

/// <summary>Runs of messages: written in one turn of the producers, taken in one turn of the consumers.</summary>
internal readonly unsafe partial struct SharedRing
{
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
}
