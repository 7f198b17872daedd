using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// The scheduler shared by every pool: a queue of chunks, one loop per worker slot that feeds its worker, and the
/// recovery rules. A worker that dies is replaced; the task it held fails with <see cref="WorkerCrashedException"/>
/// (or runs again when retries remain); the tasks after it in its chunk go back to the queue. Every chunk that
/// enters the queue is settled exactly once (run, failed or cancelled), so no caller waits for ever.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A CancellationTokenSource without a timer holds nothing to release, and its token must stay usable after the work ends.")]
internal sealed partial class PoolEngine
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
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxActiveTasks, "maxActiveTasks");
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

        _slotInsights = new PoolSlotInsights[options.Workers];
        var slots = new Task[options.Workers];
        for (int i = 0; i < slots.Length; i++)
        {
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            slots[i] = stopped.Task;
            PoolSlotLease? lease = _leases?[i];
            int slot = i;
            PoolSlotInsights insights = _slotInsights[i] = new PoolSlotInsights(i);
            new Thread(() =>
            {
                try
                {
                    RunSlot(slot, lease, insights);
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

    /// <summary>The bound on the tasks a map call keeps read and not yet returned; 0 when maps read their input at once.</summary>
    public int MaxActiveTasks => _options.MaxActiveTasks;

    /// <summary>How many tasks went to a worker through its lane (<see cref="TryLend"/>) rather than the queue.</summary>
    public long LentTasks => Interlocked.Read(ref _lentTasks);

    /// <summary>Whether the engine accepts no more jobs.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Completes when every slot has stopped its worker (after <see cref="Close()"/> and the last task).</summary>
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

        // The queue completes only once no chunk is outstanding, and this one is. A queued chunk counts for no slot.
        chunk.Insights = null;
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
    private void RunSlot(int slot, PoolSlotLease? lease, PoolSlotInsights insights)
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

                    worker = StartWorker(starts, slot, insights);
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
                    worker = WatchLent(worker, offered!, insights, ref tasksOnWorker);
                    continue;
                }

                if (signal == PoolQueue.Signal.WorkerExited)
                {
                    // The worker died before it was given work: no task to blame, only a replacement to start.
                    bool crashed = EndedBySignal(worker);
                    insights.WorkerEnded(worker, lost: true);
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
                    RunExit(slot, worker);
                    return;
                }

                if (!TryAdmit(chunk!))
                {
                    continue;
                }

                if (offered is not null && TryLendFromSlot(offered, chunk!, insights))
                {
                    worker = WatchLent(worker, offered, insights, ref tasksOnWorker);
                    continue;
                }

                if (_options.MaxTasksPerWorker > 0 && chunk!.SplitAfter(_options.MaxTasksPerWorker - tasksOnWorker) is PoolChunk tail)
                {
                    Enqueue(tail, isNew: true);
                }

                (bool lost, int ran) = RunChunk(worker, chunk!, insights);
                tasksOnWorker += ran;
                if (tasksOnWorker > 0)
                {
                    idleDeaths = 0;
                }
                else if (lost && !EndedBySignal(worker) && BreakOnRepeatedIdleDeath(ref idleDeaths))
                {
                    insights.WorkerEnded(worker, lost: true);
                    StopWorker(worker);
                    worker = null;
                    return;
                }

                if (lost || (_options.MaxTasksPerWorker > 0 && tasksOnWorker >= _options.MaxTasksPerWorker) || PastMemoryLimit(worker))
                {
                    insights.WorkerEnded(worker, lost);
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

            insights.Stopped();
            SettleQueueOfStoppedPool();
        }
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
}
