using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

// Workers: starting them (and retrying a start that crashed), running a chunk on one, blaming the task a lost worker
// held, recycling by memory, and stopping them.
internal sealed partial class PoolEngine
{
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
    private IPoolWorker? TryStartWorker(PoolWorkerStarts starts, int slot)
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

            if (!TryPrepare(worker, slot))
            {
                return null;
            }

            if (_options.CreateInitializer is not { } createInitializer)
            {
                starts.Succeeded();
                return worker;
            }

            PoolJob initializer = createInitializer();
            (PoolChunk chunk, Exception? lost) = RunOwnTask(worker, initializer);

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

    /// <summary>
    /// Runs a one-task job of the engine's own (the initializer, an exit function) on <paramref name="worker"/>: its
    /// chunk says whether the task ended, and <c>Lost</c> how the worker failed, if it did.
    /// </summary>
    private (PoolChunk Chunk, Exception? Lost) RunOwnTask(IPoolWorker worker, PoolJob job)
    {
        job.Attach(CancellationToken.None, _termination.Token);
        var chunk = new PoolChunk(job, 0, 1);
        return (chunk, Run(worker, chunk, _termination.Token));
    }

    /// <summary>Applies <see cref="PoolEngineOptions.PrepareWorker"/>; a failure stops the worker and breaks the pool.</summary>
    private bool TryPrepare(IPoolWorker worker, int slot)
    {
        try
        {
            _options.PrepareWorker?.Invoke(slot, worker);
            return true;
        }
        catch (Exception ex)
        {
            StopWorker(worker);
            if (!_termination.IsCancellationRequested)
            {
                Break($"The pool could not prepare worker '{worker.Name}': {ex.Message}", ex);
            }

            return false;
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
    private (bool Lost, int Ran) RunChunk(IPoolWorker worker, PoolChunk chunk, PoolSlotInsights insights)
    {
        int before = chunk.Reported;
        chunk.MarkDispatched(trackTime: _options.TaskTimeout is not null);
        insights.Running(chunk);
        chunk.RunsSingly |= _options.TaskTimeout is not null;
        (Exception? failure, bool timedOut) = _options.TaskTimeout is TimeSpan timeout
            ? RunWithWatchdog(worker, chunk, timeout)
            : (Run(worker, chunk, _termination.Token), false);

        int ran = chunk.Reported - before;
        insights.Chunk = null;
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
        else if (chunk.Job.TryUseRetry(position, _options.Retries))
        {
            chunk.Insights?.Retried();
        }
        else
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
}
