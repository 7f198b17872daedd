using System;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// Where <see cref="ProcessPool"/> gets its worker processes. The worker-process runtime plugs its channel in here
/// with an <see cref="IPoolWorkerFactory"/> whose workers adapt the task-frame/result-frame loop to <see cref="IPoolWorker"/>.
/// </summary>
internal static class ProcessPoolWorkers
{
    /// <summary>Creates the worker factory of the pool named <paramref name="poolName"/>.</summary>
    public static IPoolWorkerFactory CreateFactory(string poolName) => new UnavailableWorkerFactory();

    private sealed class UnavailableWorkerFactory : IPoolWorkerFactory
    {
        public ValueTask<IPoolWorker> StartAsync(int number, CancellationToken cancellationToken) =>
            ValueTask.FromException<IPoolWorker>(new PlatformNotSupportedException(
                "This build of ParallelDsl.Runtime has no worker-process transport, so a ProcessPool cannot start workers."));
    }
}
