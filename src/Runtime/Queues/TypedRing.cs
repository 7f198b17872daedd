using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace ParallelDsl;

/// <summary>Takes one item, waiting at most <paramref name="timeout"/>: a queue's <c>TryGet</c> or a pipe end's <c>TryReceive</c>.</summary>
internal delegate bool TryTake<T>(TimeSpan timeout, CancellationToken cancellationToken, out T item);

/// <summary>The typed operations a queue and a pipe end share: a <see cref="SharedRing"/> read or written as <typeparamref name="T"/> items.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class TypedRing<T>
{
    /// <summary>Writes <paramref name="item"/>, keeping <paramref name="segment"/> mapped while the call waits.</summary>
    public static bool TryWrite(SharedSegment segment, SharedRing ring, T item, TimeSpan timeout, PeerGone? readerGone, string description, CancellationToken cancellationToken)
    {
        ValidateTimeout(timeout);
        ReadOnlySpan<byte> bytes = MessageCodec<T>.Encode(ref item);
        segment.Enter();
        try
        {
            return ring.Write(bytes, timeout, readerGone, description, cancellationToken);
        }
        finally
        {
            segment.Exit();
        }
    }

    /// <summary>Reads one item, keeping <paramref name="segment"/> mapped while the call waits.</summary>
    public static bool TryRead(SharedSegment segment, SharedRing ring, TimeSpan timeout, PeerGone? writerGone, CancellationToken cancellationToken, out T item)
    {
        ValidateTimeout(timeout);
        var sink = default(MessageSink<T>);
        segment.Enter();
        try
        {
            bool taken = ring.Read(ref sink, timeout, writerGone, cancellationToken) == ReadOutcome.Message;
            item = taken ? sink.TakeResult() : default!;
            return taken;
        }
        finally
        {
            segment.Exit();
        }
    }

    /// <summary>
    /// Writes the items in order, in runs (one position update and one wake-up per run), keeping
    /// <paramref name="segment"/> mapped while the call waits.
    /// </summary>
    /// <returns>How many items were written (a prefix of <paramref name="items"/>): fewer when the timeout passed, or
    /// when the token was cancelled after some were written.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled before any item was written.</exception>
    /// <exception cref="InvalidOperationException">The ring is completed (the message says how many items were put before).</exception>
    public static int TryWriteMany(SharedSegment segment, SharedRing ring, ReadOnlySpan<T> items, TimeSpan timeout, PeerGone? readerGone, string description, CancellationToken cancellationToken)
    {
        ValidateTimeout(timeout);
        var source = new SpanMessageSource<T>(items);
        long started = Stopwatch.GetTimestamp();
        int done = 0;
        segment.Enter();
        try
        {
            while (done < items.Length)
            {
                TimeSpan remaining = timeout == Timeout.InfiniteTimeSpan
                    ? timeout
                    : TimeSpan.FromTicks(Math.Max(0, (timeout - Stopwatch.GetElapsedTime(started)).Ticks));
                int written;
                try
                {
                    written = ring.WriteMany(ref source, done, remaining, readerGone, description, cancellationToken);
                }
                catch (OperationCanceledException) when (done > 0)
                {
                    return done;
                }
                catch (InvalidOperationException e) when (done > 0)
                {
                    throw new InvalidOperationException($"{e.Message} {done} of the {items.Length} items were put before.", e);
                }

                if (written == 0)
                {
                    return done;
                }

                done += written;
            }

            return done;
        }
        finally
        {
            segment.Exit();
        }
    }

    /// <summary>
    /// Takes the items that are ready, up to <paramref name="destination"/>'s length, in one run; waits at most
    /// <paramref name="timeout"/> for the first. Keeps <paramref name="segment"/> mapped while the call waits.
    /// </summary>
    /// <returns>How many items were taken; zero when the timeout passed or the ring ended.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is empty.</exception>
    public static int TryReadMany(SharedSegment segment, SharedRing ring, Span<T> destination, TimeSpan timeout, PeerGone? writerGone, CancellationToken cancellationToken)
    {
        ValidateTimeout(timeout);
        if (destination.IsEmpty)
        {
            throw new ArgumentException("The destination has no room: give it a length of at least one item.", nameof(destination));
        }

        var sink = new SpanMessageSink<T>(destination);
        segment.Enter();
        try
        {
            return ring.ReadMany(ref sink, timeout, writerGone, cancellationToken) == ReadOutcome.Message ? sink.Count : 0;
        }
        finally
        {
            segment.Exit();
        }
    }

    /// <summary>Yields items as <paramref name="tryTake"/> takes them, until it reports the end; only waits run on a dedicated thread.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync(TryTake<T> tryTake, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!tryTake(TimeSpan.Zero, cancellationToken, out T item))
            {
                (bool taken, T waited) = await BlockingCall.RunAsync(
                    () => (tryTake(Timeout.InfiniteTimeSpan, cancellationToken, out T next), next), cancellationToken).ConfigureAwait(false);
                if (!taken)
                {
                    yield break;
                }

                item = waited;
            }

            yield return item;
        }
    }

    /// <summary>Checks a timeout argument: zero or more, or <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    private static void ValidateTimeout(TimeSpan timeout)
    {
        if (timeout != Timeout.InfiniteTimeSpan && (timeout < TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be zero or more (and at most int.MaxValue milliseconds), or Timeout.InfiniteTimeSpan.");
        }
    }
}
