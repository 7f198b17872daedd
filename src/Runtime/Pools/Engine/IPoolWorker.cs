using System.Buffers;
using System.Threading.Tasks;
using System.Threading;
using System;
using ParallelDsl.GeneratedSupport;

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

/// <summary>
/// A worker that also takes single tasks straight from the submitting thread, through a lane next to its channel
/// (<see cref="PoolLane"/>): the engine lends the worker's slot to that thread while the slot is idle, and whoever
/// waits for the task collects its result. Only the slot's own thread stops or replaces the worker.
/// </summary>
/// <remarks>
/// Threads: <see cref="TryPost"/> runs on the lending thread while the slot is lent to it; <see cref="Peek"/>,
/// <see cref="Collect"/> of a result in the lane and the watch calls run on any thread, between
/// <see cref="TryEnterLane"/> and <see cref="ExitLane"/>; <see cref="Collect"/> of a result in the socket,
/// <see cref="WaitForBell"/> and <see cref="DescribeLoss"/> run on the slot's thread.
/// </remarks>
internal interface IDirectPoolWorker : IPoolWorker
{
    /// <summary>Whether this worker has a lane at all; without one its slot is never lent.</summary>
    bool HasLane { get; }

    /// <summary>Encodes the task at <paramref name="chunk"/>'s next position and posts it; <see langword="false"/> when it cannot go this way.</summary>
    bool TryPost(PoolChunk chunk);

    /// <summary>Where the result of the posted task is.</summary>
    LaneResult Peek();

    /// <summary>Whether the worker took the posted task before it ended.</summary>
    bool TookPostedTask { get; }

    /// <summary>
    /// Decodes the posted task's result into its job and returns the task's error (<see langword="null"/> on success);
    /// reads it from the socket when <see cref="Peek"/> says so.
    /// </summary>
    Exception? Collect(PoolChunk chunk);

    /// <summary>Keeps the lane mapped while the calling thread uses it; <see langword="false"/> once the worker is disposed.</summary>
    bool TryEnterLane();

    /// <summary>Ends a use begun with <see cref="TryEnterLane"/>.</summary>
    void ExitLane();

    /// <summary>Counts a thread watching for the result (the worker then does not ring); call between enter and exit.</summary>
    void BeginWatch();

    /// <summary>Ends a watch begun with <see cref="BeginWatch"/>.</summary>
    void EndWatch();

    /// <summary>The bell's value, to pass to <see cref="WaitForBell"/>.</summary>
    int Bell { get; }

    /// <summary>Sleeps until the bell rings after <paramref name="observed"/> (or a bounded time passes).</summary>
    void WaitForBell(int observed);

    /// <summary>Wakes the slot thread sleeping on the bell; does nothing once the worker is disposed.</summary>
    void Ring();

    /// <summary>The exception that says how the worker ended, for a task it held when it died.</summary>
    Exception DescribeLoss();
}

/// <summary>Starts the workers of one pool. Disposing a worker stops it (a process is killed if it does not exit).</summary>
internal interface IPoolWorkerFactory
{
    /// <summary>Starts a worker and waits until it can take tasks.</summary>
    /// <param name="number">The worker's number within the pool, from 1; a replacement gets a new number.</param>
    /// <param name="cancellationToken">Signalled when the pool terminates while the worker starts.</param>
    ValueTask<IPoolWorker> StartAsync(int number, CancellationToken cancellationToken);
}

/// <summary>A job whose tasks cross to another process as encoded arguments and come back as an encoded result.</summary>
internal interface IEncodedPoolWork
{
    /// <summary>The stable id of the <see cref="RunInProcessAttribute"/> method in the dispatch table.</summary>
    ulong MethodId { get; }

    /// <summary>The method's display name, for messages.</summary>
    string MethodName { get; }

    /// <summary>Encodes the arguments of the task at <paramref name="position"/>.</summary>
    void WriteArguments(int position, IBufferWriter<byte> destination);

    /// <summary>Decodes and stores the result of the task at <paramref name="position"/>; throws when it is malformed.</summary>
    void ReadResult(int position, ReadOnlySpan<byte> result);

    /// <summary>Whether the method has batch codecs, so that many tasks can travel in one <see cref="ProcessBatch"/> frame.</summary>
    bool CanBatch { get; }

    /// <summary>Encodes the arguments of the <paramref name="count"/> tasks from <paramref name="start"/>, one after another.</summary>
    void WriteArguments(int start, int count, IBufferWriter<byte> destination);

    /// <summary>
    /// Decodes the outcomes of the <paramref name="count"/> tasks from <paramref name="start"/>: results are stored, errors
    /// kept in <paramref name="errors"/>; throws when the outcomes are malformed (some results may then be stored already).
    /// </summary>
    void ReadResults(int start, int count, ReadOnlySpan<byte> results, ProcessBatchErrors errors);
}

/// <summary>Thrown by <see cref="IPoolWorker.RunAsync"/> when the worker was gone before it took any task of the chunk.</summary>
internal sealed class PoolWorkerUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>
/// Thrown by <see cref="IPoolWorker.RunAsync"/> when the worker died while it ran a batch of the chunk's tasks: the
/// tasks of the batch are unreported and none is blamed; the engine runs them again, one per frame.
/// </summary>
internal sealed class PoolBatchInterruptedException(string message, Exception? innerException = null)
    : Exception(message, innerException);
