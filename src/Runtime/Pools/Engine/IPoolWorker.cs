using System;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// A worker a pool hands chunks of tasks to: a thread of this process, a warm child process over a local channel,
/// or (later) a program on another machine behind a message broker. The engine owns scheduling, chunking, retries,
/// recycling and crash recovery; a worker only runs what it is given and reports what happened.
/// </summary>
/// <remarks>
/// Contract of <see cref="RunAsync"/>, which a transport adapter must keep:
/// <list type="number">
/// <item>The worker runs the chunk's tasks one at a time, in order, starting at <see cref="PoolChunk.NextPosition"/>.</item>
/// <item>Before starting (or sending) each task, ask <see cref="PoolJob.TryStartTask"/> (or
/// <see cref="PoolChunk.TryStartNext"/>) and start no more tasks when it says no; return once the started ones are reported.</item>
/// <item>Report each task's end with <see cref="PoolChunk.ReportNext"/>, in order, or a run of consecutive tasks at
/// once with <see cref="PoolChunk.ReportRange"/>; an exception the task threw (in a child: its <c>RemoteException</c>)
/// is a report, not a worker failure.</item>
/// <item>Return normally once every task is reported. Throw (anything) when the worker is lost: the process died,
/// the channel broke, a frame was malformed, or <c>abort</c> was signalled. The engine then blames the first
/// unreported task (the one the worker held), re-queues the rest, disposes this worker and starts a replacement.</item>
/// <item>Throw <see cref="PoolWorkerUnavailableException"/> when the worker was already gone before it took the
/// chunk (for instance, writing the first task frame failed): the chunk is re-queued and no task is blamed.</item>
/// <item>Never report after <see cref="RunAsync"/> has completed.</item>
/// </list>
/// <see cref="ChannelPoolWorker"/> keeps this contract over any <see cref="IPoolWorkerChannel"/> (task frames out,
/// result frames back): a transport only has to offer that channel.
/// </remarks>
internal interface IPoolWorker : IAsyncDisposable
{
    /// <summary>The worker's name, for messages (<c>ProcessPool-1-worker-3</c>).</summary>
    string Name { get; }

    /// <summary>The worker's process id, when it is a process.</summary>
    int? ProcessId { get; }

    /// <summary>Completes when the worker has ended, whatever the reason (crash, kill, disposal).</summary>
    Task Exited { get; }

    /// <summary>Runs the chunk's remaining tasks under the contract above.</summary>
    /// <param name="chunk">The tasks to run.</param>
    /// <param name="abort">Signalled when the pool terminates or the task in flight ran out of time: stop at once.</param>
    ValueTask RunAsync(PoolChunk chunk, CancellationToken abort);

    /// <summary>
    /// How the worker's process ended, once <see cref="Exited"/> has completed and before the worker is disposed;
    /// <see langword="null"/> while it runs, when the pool itself stopped it, or for a worker that is no process.
    /// </summary>
    ProcessTerminatedException? DescribeExit() => null;

    /// <summary>The worker process's resident memory in bytes; <see langword="null"/> where it cannot be told.</summary>
    long? ResidentBytes() => null;
}
