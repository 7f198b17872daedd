using System;
using System.Threading;

namespace ParallelDsl;

// Worker exit: a Close that also runs an exit function in each worker after its last task ([WorkerState]'s
// Shutdown(workerExit)), and the slot's run of it.
internal sealed partial class PoolEngine
{
    private IPoolWorkerExit? _exit;

    /// <summary>
    /// <see cref="Close()"/>, and each worker runs <paramref name="exit"/>'s job after the last task, before it stops.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pool was closed already: its workers may be gone.</exception>
    public void Close(IPoolWorkerExit exit)
    {
        lock (_lock)
        {
            if (IsClosed)
            {
                throw new InvalidOperationException("The pool is closed already, so its workers may have stopped: pass the exit function to the Shutdown that closes it.");
            }

            Volatile.Write(ref _exit, exit);
            Close();
        }
    }

    /// <summary>Runs the exit function of a shutdown (<see cref="Close(IPoolWorkerExit)"/>) on the slot's last worker, if one was given.</summary>
    private void RunExit(int slot, IPoolWorker worker)
    {
        if (Volatile.Read(ref _exit) is not { } exit)
        {
            return;
        }

        PoolJob job = exit.CreateJob(slot);
        (PoolChunk chunk, Exception? lost) = RunOwnTask(worker, job);

        Exception? failure = job.ErrorAt(0);
        if (failure is null && !chunk.IsDone)
        {
            failure = _termination.IsCancellationRequested
                ? new OperationCanceledException("The pool was terminated before the worker ran its exit function.")
                : new WorkerCrashedException(worker.Name, worker.ProcessId, slot, 1, lost ?? worker.DescribeExit());
        }

        exit.Report(slot, worker.Name, worker.ProcessId, job, failure);
    }
}
