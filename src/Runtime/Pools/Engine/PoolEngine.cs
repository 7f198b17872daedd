using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ParallelDsl.Wire;

namespace ParallelDsl;

/// <summary>How a <see cref="PoolEngine"/> runs its workers.</summary>
internal sealed class PoolEngineOptions
{
    /// <summary>The number of workers kept running.</summary>
    public required int Workers { get; init; }

    /// <summary>Tasks a worker runs before it is retired and replaced; 0 for no limit.</summary>
    public int MaxTasksPerWorker { get; init; }

    /// <summary>Resident bytes past which a worker is retired and replaced after its chunk; 0 for no limit.</summary>
    public long MaxMemoryPerWorker { get; init; }

    /// <summary>How many times a task whose worker died is started again before it fails.</summary>
    public int Retries { get; init; }

    /// <summary>How long one task may run before its worker is stopped and the task fails; <see langword="null"/> for no limit.</summary>
    public TimeSpan? TaskTimeout { get; init; }

    /// <summary>Makes the one-task job every new worker runs before its first task; <see langword="null"/> for none.</summary>
    public Func<PoolJob>? CreateInitializer { get; init; }
}

/// <summary>
/// The scheduler shared by every pool: a queue of chunks, one loop per worker slot that feeds its worker, and the
/// recovery rules. A worker that dies is replaced; the task it held fails with <see cref="WorkerCrashedException"/>
/// (or runs again when retries remain); the tasks after it in its chunk go back to the queue. Every chunk that
/// enters the queue is settled exactly once (run, failed or cancelled), so no caller waits for ever.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A CancellationTokenSource without a timer holds nothing to release, and its token must stay usable after the work ends.")]
internal sealed class PoolEngine
{
    /// <summary>A slot whose fresh workers keep dying before running anything has a broken worker start.</summary>
    private const int MaxConsecutiveIdleDeaths = 3;

    private readonly PoolQueue _queue = new();
    private readonly CancellationTokenSource _termination = new();
    private readonly Lock _lock = new();
    private readonly IPoolWorkerFactory _factory;
    private readonly PoolEngineOptions _options;
    private readonly PoolSlotLease[]? _leases;
    private readonly Task _stopped;
    private BrokenPoolException? _broken;
    private int _outstandingChunks;
    private long _lentTasks;
    private int _closed;
    private int _workerNumber;

    public PoolEngine(IPoolWorkerFactory factory, PoolEngineOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1, "workers");
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxTasksPerWorker, "maxTasksPerWorker");
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxMemoryPerWorker, "maxMemoryPerWorker");
        ArgumentOutOfRangeException.ThrowIfNegative(options.Retries, "retries");
        if (options.TaskTimeout is TimeSpan timeout)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, "taskTimeout");
        }

        _factory = factory;
        _options = options;

        // A lent worker runs tasks the slot thread does not see start, so no per-task deadline, task count or memory
        // check applies.
        if (options.MaxTasksPerWorker == 0 && options.TaskTimeout is null && options.MaxMemoryPerWorker == 0)
        {
            _leases = new PoolSlotLease[options.Workers];
            for (int i = 0; i < _leases.Length; i++)
            {
                _leases[i] = new PoolSlotLease(this);
            }
        }

        var slots = new Task[options.Workers];
        for (int i = 0; i < slots.Length; i++)
        {
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            slots[i] = stopped.Task;
            PoolSlotLease? lease = _leases?[i];
            new Thread(() =>
            {
                try
                {
                    RunSlot(lease);
                    stopped.SetResult();
                }
                catch (Exception ex)
                {
                    // Only a callback of the caller's (a progress sink) can throw out of the slot's last settling:
                    // it faults Stopped, as the slot's task did when slots ran on the thread pool.
                    stopped.SetException(ex);
                }
            })
            {
                IsBackground = true,
                Name = "ParallelDsl pool slot",
            }.Start();
        }

        _stopped = Task.WhenAll(slots);
    }

    /// <summary>The number of worker slots.</summary>
    public int Workers => _options.Workers;

    /// <summary>How many tasks went to a worker through its lane (<see cref="TryLend"/>) rather than the queue.</summary>
    public long LentTasks => Interlocked.Read(ref _lentTasks);

    /// <summary>Whether the engine accepts no more jobs.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Completes when every slot has stopped its worker (after <see cref="Close"/> and the last task).</summary>
    public Task Stopped => _stopped;

    /// <summary>Cancelled by <see cref="Terminate"/>: every job is linked to it.</summary>
    public CancellationToken Termination => _termination.Token;

    /// <summary>The chunk size Python uses for a map of <paramref name="count"/> items: ceil(count / (workers × 4)).</summary>
    public int AutomaticChunkSize(int count) => Math.Max(1, (int)Math.Ceiling(count / (Workers * 4.0)));

    /// <summary>Queues the tasks of <paramref name="job"/> in chunks of <paramref name="chunkSize"/>.</summary>
    /// <exception cref="BrokenPoolException">The pool is broken.</exception>
    /// <exception cref="InvalidOperationException">The pool is closed.</exception>
    public void Submit(PoolJob job, int chunkSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        lock (_lock)
        {
            if (_broken is not null)
            {
                throw new BrokenPoolException(_broken.Message, _broken.InnerException);
            }

            if (IsClosed)
            {
                throw new InvalidOperationException("The pool is closed: it accepts no new tasks after Close, Shutdown, Terminate or Dispose.");
            }

            job.Attach(cancellationToken, _termination.Token);
            if (job.Count == 1 && TryLend(job))
            {
                return;
            }

            for (int start = 0; start < job.Count; start += chunkSize)
            {
                Enqueue(new PoolChunk(job, start, Math.Min(chunkSize, job.Count - start)), isNew: true);
            }
        }
    }

    /// <summary>Accepts no more jobs; queued and running tasks still run, then the workers stop.</summary>
    public void Close()
    {
        // Under the submission lock: a Submit that passed its closed check has queued its chunks before this runs.
        lock (_lock)
        {
            Interlocked.Exchange(ref _closed, 1);
            if (Volatile.Read(ref _outstandingChunks) == 0)
            {
                CompleteQueue();
            }
        }
    }

    /// <summary>
    /// Cancels every job that still has a chunk waiting in the queue: its queued tasks are cancelled, and a worker
    /// running another chunk of it stops after its current task.
    /// </summary>
    public void CancelQueued() => Drain(static chunk =>
    {
        chunk.Job.Cancel();
        chunk.CancelRemaining();
    });

    /// <summary>Closes the engine and cancels every job: tasks that have not started never will, workers are stopped.</summary>
    public void Terminate()
    {
        Close();
        _termination.Cancel();
        CancelQueued();
        RingWatchers(idleOnly: false);
    }

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

        foreach (PoolSlotLease lease in _leases)
        {
            if (!lease.TryBeginLending())
            {
                continue;
            }

            var chunk = new PoolChunk(job, 0, 1);
            Interlocked.Increment(ref _outstandingChunks);
            if (!TryPostLent(lease, chunk, cancelledState: PoolSlotLease.State.Idle))
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
    private bool TryLendFromSlot(PoolSlotLease lease, PoolChunk chunk) =>
        chunk.Job.Count == 1 && chunk.Reported == 0 && chunk.Job.RunsInAnotherProcess && lease.TryBeginLendingFromSlot()
        && TryPostLent(lease, chunk, cancelledState: PoolSlotLease.State.Held);

    /// <summary>Posts the lent chunk's task; on failure the lease goes back to <paramref name="cancelledState"/>.</summary>
    private bool TryPostLent(PoolSlotLease lease, PoolChunk chunk, PoolSlotLease.State cancelledState)
    {
        if (!chunk.Job.TryStartTask())
        {
            lease.CancelLending(cancelledState);
            return false;
        }

        chunk.MarkDispatched(trackTime: false);
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

    private void CompleteQueue()
    {
        _queue.Complete();
        RingWatchers(idleOnly: false);
    }

    private void Enqueue(PoolChunk chunk, bool isNew)
    {
        if (isNew)
        {
            Interlocked.Increment(ref _outstandingChunks);
        }

        // The queue completes only once no chunk is outstanding, and this one is.
        _queue.Add(chunk);
        RingWatchers(idleOnly: true);
    }

    /// <summary>Counts the tasks the last run of <paramref name="chunk"/> ended; re-queues it if some remain.</summary>
    private void Settle(PoolChunk chunk, int reportedBefore)
    {
        chunk.Job.CountEnded(chunk.Reported - reportedBefore);
        if (!chunk.IsDone)
        {
            Enqueue(chunk, isNew: false);
            return;
        }

        if (Interlocked.Decrement(ref _outstandingChunks) == 0 && IsClosed)
        {
            CompleteQueue();
        }
    }

    private void Drain(Action<PoolChunk> settle)
    {
        while (_queue.TryTake(out PoolChunk? chunk))
        {
            int before = chunk.Reported;
            settle(chunk);
            Settle(chunk, before);
        }
    }

    private void Break(string message, Exception cause)
    {
        lock (_lock)
        {
            _broken ??= new BrokenPoolException(message, cause);
        }

        Close();
        SettleQueueOfStoppedPool();
    }

    /// <summary>Settles a chunk that must not run (broken pool, cancelled job); <see langword="true"/> when it may run.</summary>
    private bool TryAdmit(PoolChunk chunk)
    {
        BrokenPoolException? broken = Volatile.Read(ref _broken);
        if (broken is null && !chunk.Job.IsCancellationRequested)
        {
            return true;
        }

        int before = chunk.Reported;
        if (broken is not null)
        {
            chunk.FailRemaining(_ => broken);
        }
        else
        {
            chunk.CancelRemaining();
        }

        Settle(chunk, before);
        return false;
    }

    /// <summary>
    /// The loop of one worker slot, on a thread of its own: the round trip of a task never waits for a thread-pool
    /// thread, and a process worker's result wakes this thread directly (see <see cref="ProcessPoolChannel"/>).
    /// </summary>
    private void RunSlot(PoolSlotLease? lease)
    {
        IPoolWorker? worker = null;
        PoolSlotLease? offered = null;
        int tasksOnWorker = 0;
        int idleDeaths = 0;
        var starts = new PoolWorkerStarts();
        try
        {
            while (true)
            {
                if (worker is null)
                {
                    if (_queue.IsCompleted || _broken is not null)
                    {
                        return;
                    }

                    worker = TryStartWorker(starts);
                    if (worker is null)
                    {
                        return;
                    }

                    offered = lease is not null && worker is IDirectPoolWorker { HasLane: true } ? lease : null;
                    worker.Exited.ContinueWith(
                        static (_, state) =>
                        {
                            (PoolQueue queue, IPoolWorker exited) = ((PoolQueue, IPoolWorker))state!;
                            queue.WakeAll();
                            (exited as IDirectPoolWorker)?.Ring();
                        },
                        (_queue, worker),
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                    tasksOnWorker = 0;
                }

                offered?.Offer((IDirectPoolWorker)worker);
                PoolQueue.Signal signal = _queue.Take(worker.Exited, offered, out PoolChunk? chunk);
                if (signal == PoolQueue.Signal.Lent)
                {
                    worker = WatchLent(worker, offered!, ref tasksOnWorker);
                    continue;
                }

                if (signal == PoolQueue.Signal.WorkerExited)
                {
                    // The worker died before it was given work: no task to blame, only a replacement to start.
                    bool crashed = EndedBySignal(worker);
                    StopWorker(worker);
                    worker = null;
                    if (tasksOnWorker == 0 && !crashed && BreakOnRepeatedIdleDeath(ref idleDeaths))
                    {
                        return;
                    }

                    continue;
                }

                if (signal == PoolQueue.Signal.Completed)
                {
                    return;
                }

                if (!TryAdmit(chunk!))
                {
                    continue;
                }

                if (offered is not null && TryLendFromSlot(offered, chunk!))
                {
                    worker = WatchLent(worker, offered, ref tasksOnWorker);
                    continue;
                }

                if (_options.MaxTasksPerWorker > 0 && chunk!.SplitAfter(_options.MaxTasksPerWorker - tasksOnWorker) is PoolChunk tail)
                {
                    Enqueue(tail, isNew: true);
                }

                (bool lost, int ran) = RunChunk(worker, chunk!);
                tasksOnWorker += ran;
                if (tasksOnWorker > 0)
                {
                    idleDeaths = 0;
                }
                else if (lost && !EndedBySignal(worker) && BreakOnRepeatedIdleDeath(ref idleDeaths))
                {
                    StopWorker(worker);
                    worker = null;
                    return;
                }

                if (lost || (_options.MaxTasksPerWorker > 0 && tasksOnWorker >= _options.MaxTasksPerWorker) || PastMemoryLimit(worker))
                {
                    StopWorker(worker);
                    worker = null;
                }
            }
        }
        catch (Exception ex)
        {
            // A defect in the engine: fail loudly through the pool rather than strand the callers.
            Break($"The pool's scheduler failed: {ex.Message}", ex);
        }
        finally
        {
            if (worker is not null)
            {
                StopWorker(worker);
            }

            SettleQueueOfStoppedPool();
        }
    }

    /// <summary>Watches the lent worker (<see cref="WatchLane"/>); returns it, or <see langword="null"/> once it is lost and stopped.</summary>
    private IPoolWorker? WatchLent(IPoolWorker worker, PoolSlotLease lease, ref int tasksOnWorker)
    {
        bool lost = WatchLane((IDirectPoolWorker)worker, lease);
        tasksOnWorker += lease.TakeCollected();
        if (!lost)
        {
            return worker;
        }

        StopWorker(worker);
        return null;
    }

    /// <summary>
    /// A slot leaving a broken or terminated pool settles what is still queued (a chunk another slot re-queued after
    /// the first drain, for instance), so that no caller waits for a chunk no slot will take.
    /// </summary>
    private void SettleQueueOfStoppedPool()
    {
        if (Volatile.Read(ref _broken) is BrokenPoolException broken)
        {
            Drain(chunk => chunk.FailRemaining(_ => broken));
        }
        else if (_termination.IsCancellationRequested)
        {
            CancelQueued();
        }
    }

    /// <summary>Whether the worker's resident memory has passed <see cref="PoolEngineOptions.MaxMemoryPerWorker"/>: it is retired.</summary>
    private bool PastMemoryLimit(IPoolWorker worker) =>
        _options.MaxMemoryPerWorker > 0 && worker.ResidentBytes() is long resident && resident > _options.MaxMemoryPerWorker;

    /// <summary>
    /// Whether the worker was ended by a signal this pool did not send (a kill from outside, the OOM killer, a crash):
    /// a death like that, before the worker ran anything, is no sign of a worker program that exits by itself.
    /// </summary>
    private static bool EndedBySignal(IPoolWorker worker) => worker.DescribeExit() is { Signal: not null };

    /// <summary>Counts a worker that exited on its own before running any task; breaks the pool when that keeps happening.</summary>
    private bool BreakOnRepeatedIdleDeath(ref int idleDeaths)
    {
        if (++idleDeaths < MaxConsecutiveIdleDeaths)
        {
            return false;
        }

        Break(
            $"Pool workers keep exiting before they run a task ({idleDeaths} in a row); the pool stopped replacing them.",
            new InvalidOperationException("Workers exit right after they start."));
        return true;
    }

    /// <summary>
    /// Starts a worker and runs the initializer in it; <see langword="null"/> when the pool terminates or breaks. A
    /// worker that dies before it is ready is started again (<see cref="PoolWorkerStarts"/>).
    /// </summary>
    private IPoolWorker? TryStartWorker(PoolWorkerStarts starts)
    {
        while (true)
        {
            int number = Interlocked.Increment(ref _workerNumber);
            IPoolWorker worker;
            try
            {
                worker = Block(_factory.StartAsync(number, _termination.Token));
            }
            catch (Exception ex) when (!_termination.IsCancellationRequested && PoolWorkerStarts.IsCrash(ex))
            {
                if (RetryStart(starts, number, ex))
                {
                    continue;
                }

                return null;
            }
            catch (Exception ex) when (!_termination.IsCancellationRequested)
            {
                Break($"The pool could not start worker {number}: {ex.Message}", ex);
                return null;
            }
            catch (Exception)
            {
                return null;
            }

            if (_options.CreateInitializer is not { } createInitializer)
            {
                starts.Succeeded();
                return worker;
            }

            PoolJob initializer = createInitializer();
            initializer.Attach(CancellationToken.None, _termination.Token);
            var chunk = new PoolChunk(initializer, 0, 1);
            Exception? lost = null;
            try
            {
                Block(worker.RunAsync(chunk, _termination.Token));
            }
            catch (Exception ex)
            {
                lost = ex;
            }

            Exception? failure = initializer.ErrorAt(0) ?? lost;
            if (failure is null && chunk.IsDone)
            {
                starts.Succeeded();
                return worker;
            }

            // The initializer did not throw, the worker died under it: a crash while starting, unless this side stopped it.
            ProcessTerminatedException? death = initializer.ErrorAt(0) is null ? worker.DescribeExit() : null;
            StopWorker(worker);
            if (_termination.IsCancellationRequested)
            {
                return null;
            }

            if (death is { Signal: not null })
            {
                if (RetryStart(starts, number, death))
                {
                    continue;
                }

                return null;
            }

            failure ??= new InvalidOperationException("The worker stopped before it ran the initializer.");
            Break($"The initializer failed in worker '{worker.Name}': {failure.Message}", failure);
            return null;
        }
    }

    /// <summary>Counts a start that crashed and waits before the next one; breaks the pool once too many failed in a row.</summary>
    private bool RetryStart(PoolWorkerStarts starts, int number, Exception failure)
    {
        if (starts.FailAndWait(() => _broken is null && !_queue.IsCompleted, _termination.Token))
        {
            return true;
        }

        if (starts.Failed >= PoolWorkerStarts.MaxFailedStarts)
        {
            Break(starts.DescribeBreak(number, failure), failure);
        }

        return false;
    }

    /// <summary>Runs a chunk on a worker and applies the recovery rules; says whether the worker is lost and how many tasks it took.</summary>
    private (bool Lost, int Ran) RunChunk(IPoolWorker worker, PoolChunk chunk)
    {
        int before = chunk.Reported;
        chunk.MarkDispatched(trackTime: _options.TaskTimeout is not null);
        chunk.RunsSingly |= _options.TaskTimeout is not null;
        (Exception? failure, bool timedOut) = _options.TaskTimeout is TimeSpan timeout
            ? RunWithWatchdog(worker, chunk, timeout)
            : (Run(worker, chunk, _termination.Token), false);

        int ran = chunk.Reported - before;
        if (failure is null)
        {
            // A worker returns early only when the job was cancelled (its contract).
            chunk.CancelRemaining();
            Settle(chunk, before);
            return (false, ran);
        }

        if (failure is PoolBatchInterruptedException)
        {
            // The worker died during a batch: which task it held is unknown, so the unreported ones run again singly.
            chunk.RunsSingly = true;
            Settle(chunk, before);
            return (true, ran);
        }

        if (failure is PoolWorkerUnavailableException && chunk.Reported == before)
        {
            // The worker was gone before it took the chunk: every task goes back to the queue, none is blamed.
            Enqueue(chunk, isNew: false);
            return (true, 0);
        }

        if (!chunk.IsDone)
        {
            ran++;
            BlameHeldTask(worker, chunk, failure, timedOut);
        }

        Settle(chunk, before);
        return (true, ran);
    }

    /// <summary>
    /// Ends the task a lost worker held (the chunk's next one): cancelled when the job or the pool is, a timeout, or a
    /// crash of the worker; or left unreported for another run when a retry remains.
    /// </summary>
    private void BlameHeldTask(IPoolWorker worker, PoolChunk chunk, Exception failure, bool timedOut)
    {
        int position = chunk.NextPosition;

        // Terminate stops workers mid-task: what they held is cancelled, not blamed on a crash. The job's own
        // token may not have seen the termination yet when the aborted worker returns, so check both.
        if (chunk.Job.IsCancellationRequested || _termination.IsCancellationRequested)
        {
            chunk.CancelRemaining();
        }
        else if (timedOut)
        {
            chunk.ReportNext(new TimeoutException(
                $"The task at input index {position} ran longer than {_options.TaskTimeout}; worker '{worker.Name}'{DescribePid(worker)} was stopped and replaced."));
        }
        else if (!chunk.Job.TryUseRetry(position, _options.Retries))
        {
            chunk.ReportNext(new WorkerCrashedException(worker.Name, worker.ProcessId, position, _options.Retries + 1, failure));
        }
    }

    /// <summary>Runs the chunk on the worker; returns how the worker failed, or <see langword="null"/>.</summary>
    private static Exception? Run(IPoolWorker worker, PoolChunk chunk, CancellationToken abort)
    {
        try
        {
            Block(worker.RunAsync(chunk, abort));
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>Runs the chunk, stopping the worker when one task runs longer than <paramref name="timeout"/>.</summary>
    private (Exception? Failure, bool TimedOut) RunWithWatchdog(IPoolWorker worker, PoolChunk chunk, TimeSpan timeout)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(_termination.Token);
        var watchdog = new Watchdog(chunk, timeout, abort);
        Exception? failure;
        try
        {
            failure = Run(worker, chunk, abort.Token);
        }
        finally
        {
            watchdog.Stop();
        }

        return (failure, watchdog.Fired && failure is not null);
    }

    private static string DescribePid(IPoolWorker worker) => worker.ProcessId is int pid ? $" (pid {pid})" : "";

    private static void StopWorker(IPoolWorker worker)
    {
        try
        {
            Block(worker.DisposeAsync());
        }
        catch (Exception)
        {
            // The worker is being discarded; a failure to stop it cleanly changes nothing for the pool's callers.
        }
    }

    /// <summary>Waits on the slot's own thread for an operation that usually completes before it returns.</summary>
    private static void Block(ValueTask operation)
    {
        if (operation.IsCompleted)
        {
            operation.GetAwaiter().GetResult();
        }
        else
        {
            operation.AsTask().GetAwaiter().GetResult();
        }
    }

    private static T Block<T>(ValueTask<T> operation) =>
        operation.IsCompleted ? operation.GetAwaiter().GetResult() : operation.AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Signals <c>abort</c> once the task in flight (the one after the chunk's last report) has run longer than the
    /// timeout. A timer on the thread pool checks, since the slot thread is busy with the chunk.
    /// </summary>
    private sealed class Watchdog
    {
        private readonly PoolChunk _chunk;
        private readonly TimeSpan _timeout;
        private readonly CancellationTokenSource _abort;
        private readonly Timer _timer;
        private readonly Lock _lock = new();
        private bool _stopped;
        private bool _fired;

        public Watchdog(PoolChunk chunk, TimeSpan timeout, CancellationTokenSource abort)
        {
            _chunk = chunk;
            _timeout = timeout;
            _abort = abort;
            _timer = new Timer(static state => ((Watchdog)state!).Check(), this, Timeout.Infinite, Timeout.Infinite);
            _timer.Change(timeout, Timeout.InfiniteTimeSpan);
        }

        /// <summary>Whether the watchdog signalled the abort.</summary>
        public bool Fired
        {
            get
            {
                lock (_lock)
                {
                    return _fired;
                }
            }
        }

        /// <summary>Stops checking; after this returns, the abort is no longer signalled.</summary>
        public void Stop()
        {
            lock (_lock)
            {
                _stopped = true;
            }

            _timer.Dispose();
        }

        private void Check()
        {
            lock (_lock)
            {
                if (_stopped)
                {
                    return;
                }

                TimeSpan left = _timeout - Stopwatch.GetElapsedTime(_chunk.LastReportTimestamp);
                if (left > TimeSpan.Zero)
                {
                    _timer.Change(left, Timeout.InfiniteTimeSpan);
                    return;
                }

                _fired = true;
                _abort.Cancel();
            }
        }
    }
}
