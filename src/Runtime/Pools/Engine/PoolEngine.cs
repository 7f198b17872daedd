using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>How a <see cref="PoolEngine"/> runs its workers.</summary>
internal sealed class PoolEngineOptions
{
    /// <summary>The number of workers kept running.</summary>
    public required int Workers { get; init; }

    /// <summary>Tasks a worker runs before it is retired and replaced; 0 for no limit.</summary>
    public int MaxTasksPerWorker { get; init; }

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

    private readonly Channel<PoolChunk> _queue = Channel.CreateUnbounded<PoolChunk>();
    private readonly CancellationTokenSource _termination = new();
    private readonly Lock _lock = new();
    private readonly IPoolWorkerFactory _factory;
    private readonly PoolEngineOptions _options;
    private readonly Task _stopped;
    private BrokenPoolException? _broken;
    private int _outstandingChunks;
    private int _closed;
    private int _workerNumber;

    public PoolEngine(IPoolWorkerFactory factory, PoolEngineOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1, "workers");
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxTasksPerWorker, "maxTasksPerWorker");
        ArgumentOutOfRangeException.ThrowIfNegative(options.Retries, "retries");
        if (options.TaskTimeout is TimeSpan timeout)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, "taskTimeout");
        }

        _factory = factory;
        _options = options;
        var slots = new Task[options.Workers];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = Task.Run(RunSlotAsync);
        }

        _stopped = Task.WhenAll(slots);
    }

    /// <summary>The number of worker slots.</summary>
    public int Workers => _options.Workers;

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
                _queue.Writer.TryComplete();
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
    }

    private void Enqueue(PoolChunk chunk, bool isNew)
    {
        if (isNew)
        {
            Interlocked.Increment(ref _outstandingChunks);
        }

        // The queue completes only once no chunk is outstanding, and this one is, so the write cannot fail.
        _queue.Writer.TryWrite(chunk);
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
            _queue.Writer.TryComplete();
        }
    }

    private void Drain(Action<PoolChunk> settle)
    {
        while (_queue.Reader.TryRead(out PoolChunk? chunk))
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

    private async Task RunSlotAsync()
    {
        IPoolWorker? worker = null;
        int tasksOnWorker = 0;
        int idleDeaths = 0;
        try
        {
            while (true)
            {
                if (worker is null)
                {
                    if (_queue.Reader.Completion.IsCompleted || _broken is not null)
                    {
                        return;
                    }

                    worker = await TryStartWorkerAsync().ConfigureAwait(false);
                    if (worker is null)
                    {
                        return;
                    }

                    tasksOnWorker = 0;
                }

                Task<bool> ready = _queue.Reader.WaitToReadAsync().AsTask();
                if (!ready.IsCompleted)
                {
                    await Task.WhenAny(ready, worker.Exited).ConfigureAwait(false);
                }

                if (worker.Exited.IsCompleted)
                {
                    // The worker died before it was given work: no task to blame, only a replacement to start.
                    await StopWorkerAsync(worker).ConfigureAwait(false);
                    worker = null;
                    if (tasksOnWorker == 0 && BreakOnRepeatedIdleDeath(ref idleDeaths))
                    {
                        return;
                    }

                    continue;
                }

                if (!await ready.ConfigureAwait(false))
                {
                    return;
                }

                if (!_queue.Reader.TryRead(out PoolChunk? chunk) || !TryAdmit(chunk))
                {
                    continue;
                }

                if (_options.MaxTasksPerWorker > 0 && chunk.SplitAfter(_options.MaxTasksPerWorker - tasksOnWorker) is PoolChunk tail)
                {
                    Enqueue(tail, isNew: true);
                }

                (bool lost, int ran) = await RunChunkAsync(worker, chunk).ConfigureAwait(false);
                tasksOnWorker += ran;
                if (tasksOnWorker > 0)
                {
                    idleDeaths = 0;
                }
                else if (lost && BreakOnRepeatedIdleDeath(ref idleDeaths))
                {
                    await StopWorkerAsync(worker).ConfigureAwait(false);
                    worker = null;
                    return;
                }

                if (lost || (_options.MaxTasksPerWorker > 0 && tasksOnWorker >= _options.MaxTasksPerWorker))
                {
                    await StopWorkerAsync(worker).ConfigureAwait(false);
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
                await StopWorkerAsync(worker).ConfigureAwait(false);
            }

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

    /// <summary>Counts a worker that died before running any task; breaks the pool when that keeps happening.</summary>
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

    private async Task<IPoolWorker?> TryStartWorkerAsync()
    {
        int number = Interlocked.Increment(ref _workerNumber);
        IPoolWorker worker;
        try
        {
            worker = await _factory.StartAsync(number, _termination.Token).ConfigureAwait(false);
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
            return worker;
        }

        PoolJob initializer = createInitializer();
        initializer.Attach(CancellationToken.None, _termination.Token);
        var chunk = new PoolChunk(initializer, 0, 1);
        Exception? failure = null;
        try
        {
            await worker.RunAsync(chunk, _termination.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        failure ??= initializer.ErrorAt(0);
        if (failure is null && chunk.IsDone)
        {
            return worker;
        }

        await StopWorkerAsync(worker).ConfigureAwait(false);
        if (!_termination.IsCancellationRequested)
        {
            failure ??= new InvalidOperationException("The worker stopped before it ran the initializer.");
            Break($"The initializer failed in worker '{worker.Name}': {failure.Message}", failure);
        }

        return null;
    }

    /// <summary>Runs a chunk on a worker and applies the recovery rules; says whether the worker is lost and how many tasks it took.</summary>
    private async Task<(bool Lost, int Ran)> RunChunkAsync(IPoolWorker worker, PoolChunk chunk)
    {
        int before = chunk.Reported;
        chunk.MarkDispatched(trackTime: _options.TaskTimeout is not null);
        chunk.RunsSingly |= _options.TaskTimeout is not null;
        (Exception? failure, bool timedOut) = _options.TaskTimeout is TimeSpan timeout
            ? await RunWithWatchdogAsync(worker, chunk, timeout).ConfigureAwait(false)
            : (await RunAsync(worker, chunk, _termination.Token).ConfigureAwait(false), false);

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

        Settle(chunk, before);
        return (true, ran);
    }

    /// <summary>Runs the chunk on the worker; returns how the worker failed, or <see langword="null"/>.</summary>
    private static async Task<Exception?> RunAsync(IPoolWorker worker, PoolChunk chunk, CancellationToken abort)
    {
        try
        {
            await worker.RunAsync(chunk, abort).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>Runs the chunk, stopping the worker when one task runs longer than <paramref name="timeout"/>.</summary>
    private async Task<(Exception? Failure, bool TimedOut)> RunWithWatchdogAsync(IPoolWorker worker, PoolChunk chunk, TimeSpan timeout)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(_termination.Token);
        using var wake = new CancellationTokenSource();
        Task<Exception?> run = RunAsync(worker, chunk, abort.Token);
        bool timedOut = false;
        while (!run.IsCompleted)
        {
            TimeSpan left = timeout - Stopwatch.GetElapsedTime(chunk.LastReportTimestamp);
            if (left <= TimeSpan.Zero)
            {
                timedOut = true;
                await abort.CancelAsync().ConfigureAwait(false);
                break;
            }

            await Task.WhenAny(run, Task.Delay(left, wake.Token)).ConfigureAwait(false);
        }

        await wake.CancelAsync().ConfigureAwait(false);
        Exception? failure = await run.ConfigureAwait(false);
        return (failure, timedOut && failure is not null);
    }

    private static string DescribePid(IPoolWorker worker) => worker.ProcessId is int pid ? $" (pid {pid})" : "";

    private static async Task StopWorkerAsync(IPoolWorker worker)
    {
        try
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The worker is being discarded; a failure to stop it cleanly changes nothing for the pool's callers.
        }
    }
}
