using System;
using System.Collections.Generic;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl;

// Shutting down with an exit function, mpire's worker_exit: each worker returns what its [WorkerState] gathered.
public abstract partial class ProcessPoolBase
{
    /// <summary>
    /// Shuts the pool down as <c>Shutdown(wait: true)</c> does — every task submitted still runs — and then has every
    /// worker run <paramref name="workerExit"/> once, after its last task and before it stops, with its slot number
    /// (0 to <see cref="PoolExecutor.MaxWorkers"/> - 1). Returns what each returned, in slot order: mpire's
    /// <c>worker_exit</c>, for state a worker kept in <see cref="WorkerStateAttribute"/> members (a partial sum, counters).
    /// </summary>
    /// <param name="workerExit">A <see cref="RunInProcessAttribute"/> method of one <see cref="int"/> parameter (the slot), by name.</param>
    /// <returns>
    /// One <see cref="WorkerExit{TExit}"/> per slot. An exit function that threw gives its slot a
    /// <see cref="RemoteException"/>, a worker that died under it a <see cref="WorkerCrashedException"/>; the other
    /// slots still return their values.
    /// </returns>
    /// <remarks>
    /// The exit function runs only in the workers alive at shutdown: a worker that was replaced earlier (it died, or
    /// <c>maxTasksPerWorker</c> or <c>maxMemoryPerWorker</c> retired it) took its state with it.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The call was not bound to a generated descriptor (see the message), or the pool is closed already.</exception>
    public IReadOnlyList<WorkerExit<TExit>> Shutdown<TExit>(Func<int, TExit> workerExit) =>
        throw NotIntercepted(workerExit, nameof(Shutdown));

    /// <summary>The form of <see cref="Shutdown{TExit}(Func{int, TExit})"/> the generator binds to.</summary>
    /// <exception cref="InvalidOperationException">The pool is closed already.</exception>
    public IReadOnlyList<WorkerExit<TExit>> Shutdown<TExit>(ProcessFunction<int, TExit> workerExit)
    {
        ArgumentNullException.ThrowIfNull(workerExit);
        var exits = new WorkerExits<TExit>(workerExit, MaxWorkers);
        Engine.Close(exits);
        Engine.Stopped.Wait();
        return exits.Results();
    }
}
