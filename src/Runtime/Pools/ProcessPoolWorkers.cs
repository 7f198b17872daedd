using System;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// Where <see cref="ProcessPool"/> gets its worker processes. The worker-process runtime plugs in here: a factory
/// that starts a worker process, waits for its channel, and returns <c>new ChannelPoolWorker(channel)</c>, where the
/// channel offers the task-frame/result-frame loop as an <see cref="IPoolWorkerChannel"/>.
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
