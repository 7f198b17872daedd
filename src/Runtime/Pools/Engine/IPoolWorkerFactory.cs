using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>Starts the workers of one pool. Disposing a worker stops it (a process is killed if it does not exit).</summary>
internal interface IPoolWorkerFactory
{
    /// <summary>Starts a worker and waits until it can take tasks.</summary>
    /// <param name="number">The worker's number within the pool, from 1; a replacement gets a new number.</param>
    /// <param name="cancellationToken">Signalled when the pool terminates while the worker starts.</param>
    ValueTask<IPoolWorker> StartAsync(int number, CancellationToken cancellationToken);
}
