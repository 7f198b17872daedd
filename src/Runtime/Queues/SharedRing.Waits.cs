using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace ParallelDsl;

/// <summary>How writers wait for room and readers for data: a short spin, then the process-shared condition variables.</summary>
internal readonly unsafe partial struct SharedRing
{
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
