using System;
using System.Threading;

namespace ParallelDsl;

/// <summary>
/// A <see cref="CrossProcessObject"/> that processes wait on: <see cref="CrossProcessEvent"/> (until it is set) and
/// <see cref="CrossProcessSemaphore"/> (until a permit is free, which the wait then takes).
/// </summary>
public abstract unsafe class CrossProcessWaitable : CrossProcessObject
{
    private readonly delegate*<SegmentHeader*, bool> _tryTake;

    private protected CrossProcessWaitable(SharedSegment segment, delegate*<SegmentHeader*, bool> tryTake)
        : base(segment)
    {
        _tryTake = tryTake;
    }

    /// <summary>Waits as long as needed.</summary>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public void Wait() => Wait(Timeout.InfiniteTimeSpan, CancellationToken.None);

    /// <summary>Waits until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public void Wait(CancellationToken cancellationToken) => Wait(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Waits at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> checks once, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <returns><see langword="true"/> when the wait succeeded in time.</returns>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public bool Wait(TimeSpan timeout) => Wait(timeout, CancellationToken.None);

    /// <summary>Waits at most <paramref name="timeout"/>, until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> checks once, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <returns><see langword="true"/> when the wait succeeded in time.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ObjectDisposedException">The object is disposed.</exception>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ValidateTimeout(timeout);
        return RobustMutex.WaitUntil(Segment, _tryTake, timeout, cancellationToken);
    }
}
