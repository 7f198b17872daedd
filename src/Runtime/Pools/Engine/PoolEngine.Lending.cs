using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

// Lending: while a slot's worker is idle, a submitting thread may post a single task straight to it through the
// worker's lane and collect the result itself; the slot thread only watches, and takes the worker back for the queue.
internal sealed partial class PoolEngine
{
    /// <summary>
    /// Lends an idle worker that has a lane to the submitting thread and posts the job's single task through it
    /// (<see cref="PoolSlotLease"/>): no slot thread and no socket between the caller and the worker. Whoever waits
    /// for the task collects it (<see cref="TryCollect"/>), or the slot thread when nobody does.
    /// </summary>
    private bool TryLend(PoolJob job)
    {
        if (_leases is null || !job.RunsInAnotherProcess || _queue.Count > 0)
        {
            return false;
        }

        for (int slot = 0; slot < _leases.Length; slot++)
        {
            PoolSlotLease lease = _leases[slot];
            if (!lease.TryBeginLending())
            {
                continue;
            }

            var chunk = new PoolChunk(job, 0, 1);
            Interlocked.Increment(ref _outstandingChunks);
            if (!TryPostLent(lease, chunk, _slotInsights[slot], cancelledState: PoolSlotLease.State.Idle))
            {
                Interlocked.Decrement(ref _outstandingChunks);
                return false;
            }

            if (lease.SlotSleeping)
            {
                // The slot thread sleeps in the queue's wait: wake it to watch the lane in case nobody waits.
                _queue.WakeAll();
            }

            return true;
        }

        return false;
    }

    /// <summary>
    /// The slot thread's own lend: a queued single-task job (submitted while every worker was busy) goes through the
    /// lane of this slot's worker, so that the caller waiting for it collects it and finds the worker idle for the
    /// next one. <see langword="false"/> when it cannot go that way; the slot thread then runs it as a chunk.
    /// </summary>
    private bool TryLendFromSlot(PoolSlotLease lease, PoolChunk chunk, PoolSlotInsights insights) =>
        chunk.Job.Count == 1 && chunk.Reported == 0 && chunk.Job.RunsInAnotherProcess && lease.TryBeginLendingFromSlot()
        && TryPostLent(lease, chunk, insights, cancelledState: PoolSlotLease.State.Held);

    /// <summary>Posts the lent chunk's task; on failure the lease goes back to <paramref name="cancelledState"/>.</summary>
    private bool TryPostLent(PoolSlotLease lease, PoolChunk chunk, PoolSlotInsights insights, PoolSlotLease.State cancelledState)
    {
        if (!chunk.Job.TryStartTask())
        {
            lease.CancelLending(cancelledState);
            return false;
        }

        chunk.MarkDispatched(trackTime: false);
        chunk.Insights = insights;
        chunk.Job.Lease = lease;
        bool posted;
        try
        {
            posted = lease.Worker!.TryPost(chunk);
        }
        catch (Exception)
        {
            // The method cannot be sent at all: the slot thread's path reports that as the task's error.
            posted = false;
        }

        if (!posted)
        {
            chunk.Insights = null;
            chunk.Job.Lease = null;
            lease.CancelLending(cancelledState);
            return false;
        }

        lease.Lend(chunk);
        Interlocked.Increment(ref _lentTasks);
        return true;
    }

    /// <summary>
    /// Collects the result of the task lent through <paramref name="lease"/> if the worker has published it in the
    /// lane; any thread may call this, one collects. <see langword="true"/> when this call collected it.
    /// </summary>
    public bool TryCollect(PoolSlotLease lease)
    {
        if (!lease.IsLent || lease.Worker is not { } worker || !worker.TryEnterLane())
        {
            return false;
        }

        try
        {
            if (worker.Peek() != PostedResult.Ready || !lease.TryClaim())
            {
                return false;
            }

            if (lease.Worker != worker)
            {
                // The lease changed hands between the two reads: this was another worker's lane.
                lease.Unclaim();
                return false;
            }

            // A result in the lane is decoded in place: nothing there can fail but the task's own decoding.
            FinishLent(lease, worker, worker.Collect(lease.Chunk!));
            return true;
        }
        finally
        {
            worker.ExitLane();
        }
    }

    /// <summary>Reports the claimed lent task's outcome and frees the worker for the next lend.</summary>
    private void FinishLent(PoolSlotLease lease, IDirectPoolWorker worker, Exception? error)
    {
        PoolChunk chunk = lease.Chunk!;
        lease.Release();
        chunk.ReportNext(error);
        Settle(chunk, 0);
        if (lease.Watching && (_queue.Count > 0 || _queue.IsCompleting))
        {
            // The slot thread stays on the lane while it is idle: it has queued work to take now.
            worker.Ring();
        }
    }

    /// <summary>
    /// The slot thread's watch over its lent worker: it collects a result nobody waits for (the worker rings the
    /// bell), settles the task when the worker dies or the pool terminates, and returns once the worker is idle and
    /// the queue has work for it. Returns <see langword="true"/> when the worker is lost.
    /// </summary>
    private bool WatchLane(IDirectPoolWorker worker, PoolSlotLease lease)
    {
        lease.Watching = true;
        try
        {
            while (true)
            {
                int bell = worker.Bell;
                bool gone = worker.Exited.IsCompleted || _termination.IsCancellationRequested;
                if (lease.IsLent)
                {
                    PostedResult where = worker.Peek();
                    if (where != PostedResult.Pending || gone)
                    {
                        if (!lease.TryClaim())
                        {
                            continue;
                        }

                        // Between the look and the claim, a submitter may have collected that result and lent the worker
                        // its next task, whose result is not there yet: look again now that nobody else can.
                        where = worker.Peek();
                        if (where == PostedResult.Pending && !gone)
                        {
                            lease.Unclaim();
                            continue;
                        }

                        Exception? loss = null;
                        if (where != PostedResult.Pending && !_termination.IsCancellationRequested)
                        {
                            try
                            {
                                FinishLent(lease, worker, worker.Collect(lease.Chunk!));
                                continue;
                            }
                            catch (PoolWorkerLostException ex)
                            {
                                // The worker died (or broke the protocol) while its result came through its channel.
                                loss = ex.InnerException;
                            }
                        }

                        SettleLostLent(worker, lease, loss);
                        return true;
                    }
                }
                else if (lease.IsIdle)
                {
                    if (worker.Exited.IsCompleted)
                    {
                        if (lease.TryTakeBack())
                        {
                            return true;
                        }

                        continue;
                    }

                    if (_queue.Count > 0 || _queue.IsCompleting || _broken is not null || _termination.IsCancellationRequested)
                    {
                        return false;
                    }
                }
                else if (gone)
                {
                    // Another thread is posting or collecting; it is done in a moment, then the loss is settled here.
                    Thread.Yield();
                    continue;
                }

                worker.WaitForBell(bell);
            }
        }
        finally
        {
            lease.Watching = false;
        }
    }

    /// <summary>Settles the claimed lent task of a worker that died or is stopped by termination.</summary>
    private void SettleLostLent(IDirectPoolWorker worker, PoolSlotLease lease, Exception? loss)
    {
        PoolChunk chunk = lease.Chunk!;
        lease.Withdraw();
        if (!_termination.IsCancellationRequested && !chunk.Job.IsCancellationRequested && !worker.TookPostedTask)
        {
            // The worker was gone before it took the task: it runs on another worker, blamed on nobody.
            Enqueue(chunk, isNew: false);
            return;
        }

        loss ??= worker.Exited.IsCompleted ? worker.DescribeLoss() : new OperationCanceledException();
        BlameHeldTask(worker, chunk, loss, timedOut: false);
        Settle(chunk, 0);
    }

    /// <summary>Wakes the slot threads watching their lanes so that they look at the queue (all, or the idle ones).</summary>
    private void RingWatchers(bool idleOnly)
    {
        if (_leases is null)
        {
            return;
        }

        foreach (PoolSlotLease lease in _leases)
        {
            if (lease.Watching && (!idleOnly || lease.IsIdle))
            {
                lease.Worker?.Ring();
            }
        }
    }

    /// <summary>Watches the lent worker (<see cref="WatchLane"/>); returns it, or <see langword="null"/> once it is lost and stopped.</summary>
    private IPoolWorker? WatchLent(IPoolWorker worker, PoolSlotLease lease, PoolSlotInsights insights, ref int tasksOnWorker)
    {
        bool lost = WatchLane((IDirectPoolWorker)worker, lease);
        tasksOnWorker += lease.TakeCollected();
        if (!lost)
        {
            return worker;
        }

        insights.WorkerEnded(worker, lost: true);
        StopWorker(worker);
        return null;
    }
}
