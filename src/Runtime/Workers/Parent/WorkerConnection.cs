using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl.Wire;

/// <summary>
/// The parent's side of the connection to one authenticated worker, used by the launchers and by the pools alike:
/// Task frames out, Result frames back, and the worker's death seen as the end of the results. It has a blocking
/// face (a pool's slot thread sleeps in the kernel until the result wakes it) and an asynchronous one (a launcher
/// awaits its child) over the same frame handling: how a Task frame is built and a Result frame checked lives here
/// and in <see cref="TaskRequest"/>/<see cref="TaskResult"/> only.
/// </summary>
/// <remarks>
/// One sender and one receiver may use it at the same time. A frame the worker should not have sent (another kind,
/// a malformed result) is a <see cref="ProtocolException"/>, and the worker is killed: nothing it sends after it
/// can be trusted. A receive that is cancelled kills the worker too (a peer this process did not start is only
/// disconnected when disposed), which is what ends a receive that waits for it.
/// </remarks>
internal sealed class WorkerConnection : IDisposable
{
    private readonly FrameConnection _frames;
    private readonly WorkerProcess? _process;

    /// <param name="frames">The authenticated connection.</param>
    /// <param name="workerPid">The pid the worker reported when it authenticated.</param>
    /// <param name="process">The worker, to kill when it breaks the protocol; <see langword="null"/> for a peer this process did not start.</param>
    public WorkerConnection(FrameConnection frames, int workerPid, WorkerProcess? process)
    {
        _frames = frames;
        WorkerPid = workerPid;
        _process = process;
    }

    /// <summary>The pid the worker reported when it authenticated.</summary>
    public int WorkerPid { get; }

    /// <summary>
    /// Builds the Task frame of <paramref name="methodId"/> (declared in <paramref name="owner"/>) on
    /// <paramref name="arguments"/> as the pending frame: send it with <see cref="Send"/> or <see cref="SendAsync"/>,
    /// or take <see cref="PendingBody"/> to deliver it another way.
    /// </summary>
    public void BeginTask(ulong taskId, ulong methodId, string owner, ReadOnlySpan<byte> arguments) =>
        TaskRequest.Write(_frames.Begin(FrameKind.Task), taskId, methodId, owner, arguments);

    /// <summary>Builds the Task frame (<see cref="BeginTask(ulong, ulong, string, ReadOnlySpan{byte})"/>) with the owner's name given as its UTF-8 bytes.</summary>
    public void BeginTask(ulong taskId, ulong methodId, ReadOnlySpan<byte> ownerUtf8, ReadOnlySpan<byte> arguments) =>
        TaskRequest.Write(_frames.Begin(FrameKind.Task), taskId, methodId, ownerUtf8, arguments);

    /// <summary>Builds the Task frame (<see cref="BeginTask(ulong, ulong, string, ReadOnlySpan{byte})"/>) and sends it.</summary>
    /// <exception cref="IOException">The worker is gone.</exception>
    /// <exception cref="ProtocolException">The frame is larger than the frame limit.</exception>
    public ValueTask SendTaskAsync(ulong taskId, ulong methodId, string owner, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        BeginTask(taskId, methodId, owner, arguments.Span);
        return _frames.SendAsync(cancellationToken);
    }

    /// <summary>Builds a Lane frame naming the shared-memory lane <paramref name="handleName"/> as the pending frame.</summary>
    public void BeginLane(string handleName) => FrameWriter.WriteString(_frames.Begin(FrameKind.Lane), handleName);

    /// <summary>Fails when the pending frame is larger than the frame limit.</summary>
    /// <exception cref="ProtocolException">The frame is too large.</exception>
    public void ThrowIfPendingFrameTooLarge() => _frames.ThrowIfPendingFrameTooLarge();

    /// <summary>The body of the pending frame, for a caller that delivers it another way (then <see cref="DiscardPending"/>).</summary>
    public ReadOnlySpan<byte> PendingBody => _frames.PendingBody;

    /// <summary>Drops the pending frame.</summary>
    public void DiscardPending() => _frames.DiscardPending();

    /// <summary>Sends the pending frame, blocking.</summary>
    /// <exception cref="IOException">The worker is gone.</exception>
    /// <exception cref="ProtocolException">The frame is larger than the frame limit.</exception>
    public void Send() => _frames.Send();

    /// <summary>Sends the pending frame.</summary>
    /// <exception cref="IOException">The worker is gone.</exception>
    /// <exception cref="ProtocolException">The frame is larger than the frame limit.</exception>
    public ValueTask SendAsync(CancellationToken cancellationToken) => _frames.SendAsync(cancellationToken);

    /// <summary>Builds a Shutdown frame (no more tasks: finish and exit) as the pending frame.</summary>
    public void BeginShutdown() => _frames.Begin(FrameKind.Shutdown);

    /// <summary>Sends a Wake frame (a task waits in the lane), blocking, without touching the pending frame.</summary>
    /// <exception cref="IOException">The worker is gone.</exception>
    public void SendWake() => _frames.SendEmpty(FrameKind.Wake);

    /// <summary>
    /// Receives the next result, blocking; <see langword="null"/> when the worker is gone (the connection ended or
    /// broke). The caller disposes the result.
    /// </summary>
    /// <exception cref="ProtocolException">The worker sent something other than a valid Result frame; it was killed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was signalled; the worker was killed.</exception>
    public TaskResult? Receive(CancellationToken cancellationToken)
    {
        ValueTask<TaskResult?> receiving = ReceiveCoreAsync(synchronous: true, cancellationToken);
        return receiving.IsCompletedSuccessfully ? receiving.Result : receiving.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Receives the next result; <see langword="null"/> when the worker is gone (the connection ended or broke). The
    /// caller disposes the result.
    /// </summary>
    /// <exception cref="ProtocolException">The worker sent something other than a valid Result frame; it was killed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was signalled; the worker was killed.</exception>
    public ValueTask<TaskResult?> ReceiveAsync(CancellationToken cancellationToken) => ReceiveCoreAsync(synchronous: false, cancellationToken);

    /// <summary>Closes the connection; a worker still running a task sees its parent hang up and ends itself.</summary>
    public void Dispose() => _frames.Dispose();

    // One implementation for both faces; with synchronous: true it completes before it returns, allocating nothing.
    private async ValueTask<TaskResult?> ReceiveCoreAsync(bool synchronous, CancellationToken cancellationToken)
    {
        Frame? frame;
        using (RegisterKill(cancellationToken))
        {
            try
            {
                frame = synchronous ? _frames.Receive() : await _frames.ReceiveAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The connection broke (a killed worker can reset it): the worker is gone, which is no protocol error.
                frame = null;
            }
            catch (ProtocolException)
            {
                _process?.Kill();
                throw;
            }
        }

        return ToResult(frame, cancellationToken);
    }

    private CancellationTokenRegistration RegisterKill(CancellationToken cancellationToken) =>
        _process is null ? default : cancellationToken.UnsafeRegister(static process => ((WorkerProcess)process!).Kill(), _process);

    private TaskResult? ToResult(Frame? frame, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            // The registration stopped the worker, whatever the read returned.
            frame?.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (frame is null)
        {
            return null;
        }

        if (frame.Kind != FrameKind.Result)
        {
            FrameKind kind = frame.Kind;
            frame.Dispose();
            _process?.Kill();
            throw new ProtocolException($"The worker sent a {kind} frame; only Result frames may follow authentication.");
        }

        try
        {
            return TaskResult.Parse(frame);
        }
        catch (ProtocolException)
        {
            _process?.Kill();
            throw;
        }
    }
}
