using System;
using System.Collections.Generic;
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
