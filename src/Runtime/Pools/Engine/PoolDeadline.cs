using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>An optional time limit for a whole pool call, counted from its start.</summary>
internal readonly struct PoolDeadline
{
    private readonly long _start;
    private readonly TimeSpan? _timeout;

    public PoolDeadline(TimeSpan? timeout)
    {
        if (timeout is TimeSpan limit && limit != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, TimeSpan.Zero, nameof(timeout));
            _timeout = limit;
        }

        _start = Stopwatch.GetTimestamp();
    }

    /// <summary>The time left, or <see cref="Timeout.InfiniteTimeSpan"/> without a limit.</summary>
    public TimeSpan Remaining
    {
        get
        {
            if (_timeout is not TimeSpan timeout)
            {
                return Timeout.InfiniteTimeSpan;
            }

            TimeSpan left = timeout - Stopwatch.GetElapsedTime(_start);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Blocks until <paramref name="task"/> ends; <see langword="false"/> when the deadline passed first.</summary>
    public bool Wait(Task task, CancellationToken cancellationToken)
    {
        try
        {
            return task.Wait(Remaining, cancellationToken);
        }
        catch (AggregateException) when (task.IsCompleted)
        {
            return true;
        }
    }

    /// <summary>Takes the next item of <paramref name="reader"/>, blocking until one comes.</summary>
    /// <exception cref="TimeoutException">The deadline passed first; the message comes from <paramref name="describeTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public T ReadBlocking<T>(ChannelReader<T> reader, Func<string> describeTimeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (reader.TryRead(out T? item))
            {
                return item;
            }

            cancellationToken.ThrowIfCancellationRequested();
            Task<bool> ready = reader.WaitToReadAsync(CancellationToken.None).AsTask();
            if (!Wait(ready, cancellationToken))
            {
                throw new TimeoutException(describeTimeout());
            }

            if (!ready.Result)
            {
                throw new InvalidOperationException("The pool stopped reporting results before every task had ended.");
            }
        }
    }

    /// <summary>A token cancelled at the deadline (or never), linked to <paramref name="cancellationToken"/>.</summary>
    public CancellationTokenSource CreateLinkedSource(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_timeout is not null)
        {
            source.CancelAfter(Remaining);
        }

        return source;
    }
}
