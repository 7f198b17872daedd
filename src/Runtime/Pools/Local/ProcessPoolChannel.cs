using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using System.Threading;
using System;
using ParallelDsl.GeneratedSupport;
using ParallelDsl.Wire;

namespace ParallelDsl;

/// <summary>
/// One warm worker process as the pool engine sees it: the worker's <see cref="WorkerConnection"/> adapted to
/// <see cref="IPoolWorkerChannel"/>, with the pool's policy on top (two tasks in flight, the lane, shutdown). An error frame becomes the task's <see cref="RemoteException"/>; a worker that is
/// gone (crash, kill, stack overflow) makes sends and receives throw, with the way it ended as the cause.
/// </summary>
/// <remarks>
/// Sends and receives are blocking calls that complete before they return: the engine calls them from the slot
/// thread dedicated to this worker, which then sleeps in the kernel until the result arrives and is woken by it
/// directly. Cancellation kills the worker, which ends a receive that waits for it. Single tasks may instead go
/// through the worker's <see cref="PoolLane"/> (<see cref="IPoolLaneChannel"/>), posted and collected by other threads while
/// the slot is lent; the socket then carries only the <c>Wake</c> frame and a result too large for the lane.
/// </remarks>
internal sealed class ProcessPoolChannel : IPoolWorkerChannel, IPoolLaneChannel
{
    /// <summary>How long an idle worker has to exit after the Shutdown frame before it is killed.</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    /// <summary>How long a receive that saw the channel close waits for the exit code that explains it.</summary>
    private static readonly TimeSpan ExitCodeWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The largest task frame sent while the worker may still be writing a result. A blocking send of a larger one
    /// could fill the socket while the worker blocks writing to this side, which is not reading: each would wait
    /// for the other. Larger frames wait until the results due before them are in.
    /// </summary>
    private const int MaxPipelinedFrame = 64 * 1024;

    private readonly WorkerProcess _process;
    private readonly WorkerConnection _connection;
    private readonly Task _exited;
    private readonly Queue<TaskResult> _early = new();
    private TaskResult? _lastResult;
    private PoolLane? _lane;
    private long _laneTask;
    private ulong _ownerMethodId;
    private byte[]? _ownerUtf8;
    private int _inFlight;
    private int _disposed;

    public ProcessPoolChannel(WorkerProcess process, WorkerConnection connection)
    {
        _process = process;
        _connection = connection;
        _exited = process.WaitForExitAsync();
    }

    public string Name => _process.Name;

    public int? ProcessId => _process.Pid;

    public Task Exited => _exited;

    /// <summary>The worker's lane, once <see cref="AttachLane"/> made one.</summary>
    public IPoolLaneChannel? Lane => _lane is null ? null : this;

    PoolLane IPoolLaneChannel.Lane => _lane!;

    /// <summary>
    /// Gives the worker a lane where the platform has them and <see cref="ProcessSettings.PoolLanes"/> allows: creates
    /// it and sends its name. The worker maps it when it reads the frame and marks it ready; until then (or if it
    /// cannot) tasks take the socket.
    /// </summary>
    public void AttachLane()
    {
        if (!PoolLane.IsSupported || !ProcessSettings.PoolLanes)
        {
            return;
        }

        PoolLane lane;
        try
        {
            lane = PoolLane.Create();
        }
        catch (InvalidOperationException)
        {
            // No shared memory to be had (memfd refused): the socket alone carries the tasks.
            return;
        }

        try
        {
            _connection.BeginLane(lane.HandleName);
            _connection.Send();
        }
        catch
        {
            // The worker died before it got its lane: no shared memory may stay behind it.
            lane.Dispose();
            throw;
        }

        _lane = lane;
    }

    public ValueTask SendAsync(PoolTaskFrame task, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        BeginTaskFrame(task);
        _connection.ThrowIfPendingFrameTooLarge();
        if (task.Arguments.Length <= MaxPipelinedFrame)
        {
            // Fits in the socket's buffer: the send returns at once whatever the worker does.
            _inFlight++;
            SendCounted();
            return ValueTask.CompletedTask;
        }

        bool drained = false;
        while (_inFlight > _early.Count)
        {
            _early.Enqueue(Read(cancellationToken));
            drained = true;
        }

        _inFlight++;
        using (cancellationToken.UnsafeRegister(static process => ((WorkerProcess)process!).Kill(), _process))
        {
            try
            {
                SendCounted();
            }
            catch (IOException) when (drained && !cancellationToken.IsCancellationRequested)
            {
                // The worker died after it answered the tasks before this one: those results still count, and the
                // receive after them reports the death.
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Posts a task in the lane (the caller holds the worker: no frame is in flight). Sends a Wake frame when the worker
    /// has stopped watching. <see langword="false"/> when the lane is not ready or the task does not fit in it.
    /// </summary>
    public bool TryPost(PoolTaskFrame task)
    {
        if (_lane is not { IsReady: true } lane || _exited.IsCompleted)
        {
            return false;
        }

        // Written straight into the lane: no frame is built, and the owner's name is encoded once per method.
        if (!TaskRequest.TryWrite(lane.TaskArea, (ulong)task.TaskId, task.MethodId, OwnerUtf8Of(task.MethodId), task.Arguments.Span, out int length))
        {
            return false;
        }

        _laneTask = task.TaskId;
        bool sleeping = lane.Post(task.TaskId, length);
        if (sleeping)
        {
            try
            {
                _connection.SendWake();
            }
            catch (IOException)
            {
                // The worker is gone; the slot thread watching the lane sees it exit and settles the task.
            }
        }

        return true;
    }

    /// <summary>Where the result of the task posted in the lane is.</summary>
    public LaneResult Peek() => _lane!.Peek(_laneTask);

    /// <summary>Whether the worker took the task posted in the lane.</summary>
    public bool TookTask => _lane!.WasTaken(_laneTask);

    /// <summary>
    /// Hands over the result of the lane's task: the Result frame body in the lane, or the frame from the socket when
    /// it did not fit (read on the slot thread only). The task is no longer held afterwards.
    /// </summary>
    /// <param name="read">Reads the body: the task id, the status and the payload.</param>
    public T TakeResult<T>(LaneResultReader<T> read)
    {
        long taskId = _laneTask;
        _laneTask = 0;
        if (_lane!.Peek(taskId) == LaneResult.Ready)
        {
            return read(_lane.Result, taskId);
        }

        using TaskResult frame = Read(CancellationToken.None);
        return read(frame.FrameBody, taskId);
    }

    public ValueTask<PoolResultFrame> ReceiveAsync(CancellationToken cancellationToken)
    {
        ReleaseLastResult();
        TaskResult result = _early.TryDequeue(out TaskResult? early) ? early : Read(cancellationToken);
        _inFlight--;
        _lastResult = result;
        if (!result.IsSuccess)
        {
            return ValueTask.FromResult(new PoolResultFrame((long)result.TaskId, ReadOnlyMemory<byte>.Empty, result.ReadError().ToException()));
        }

        // The payload stays valid until the next receive: the adapter decodes it before asking for another frame.
        return ValueTask.FromResult(new PoolResultFrame((long)result.TaskId, result.PayloadMemory, null));
    }

    /// <summary>
    /// Stops the worker: an idle one is told to shut down and given a moment to exit; one that still holds a task
    /// (it timed out, the pool terminates) or will not exit is killed. No process is left when this returns.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        ReleaseLastResult();
        while (_early.TryDequeue(out TaskResult? unread))
        {
            unread.Dispose();
        }

        if (_inFlight > 0 || _laneTask != 0 || !await TryShutDownAsync().ConfigureAwait(false))
        {
            _process.Kill();
        }

        await _exited.ConfigureAwait(false);
        _connection.Dispose();
        _lane?.Dispose();
        _process.Dispose();
    }

    /// <summary>The exception for a worker that ended while it held a task: how it ended.</summary>
    public Exception DescribeLoss() => Gone();

    /// <summary>How the worker ended, once it has and before disposal; <see langword="null"/> while it runs or when this side stopped it.</summary>
    public ProcessTerminatedException? DescribeExit() =>
        _exited.IsCompleted && !_process.StopRequested && Volatile.Read(ref _disposed) == 0 ? _process.Terminated() : null;

    /// <summary>The worker's resident memory, where the platform tells it.</summary>
    public long? ResidentBytes() => ResidentMemory.Of(_process.Pid);

    /// <summary>Builds the Task frame of <paramref name="task"/> as the connection's pending frame.</summary>
    private void BeginTaskFrame(PoolTaskFrame task)
    {
        _connection.BeginTask((ulong)task.TaskId, task.MethodId, OwnerUtf8Of(task.MethodId), task.Arguments.Span);
    }

    /// <summary>The UTF-8 name of the assembly that declares <paramref name="methodId"/>, kept for the method of the last task.</summary>
    /// <exception cref="InvalidOperationException">No method has that id here.</exception>
    private byte[] OwnerUtf8Of(ulong methodId)
    {
        if (_ownerMethodId != methodId || _ownerUtf8 is null)
        {
            _ownerUtf8 = Encoding.UTF8.GetBytes(ProcessDispatch.Get(methodId).OwnerName);
            _ownerMethodId = methodId;
        }

        return _ownerUtf8;
    }

    /// <summary>Sends the pending frame, counted first in the lane so that a worker watching the lane receives it.</summary>
    private void SendCounted()
    {
        _lane?.CountSocketFrame();
        _connection.Send();
    }

    private async Task<bool> TryShutDownAsync()
    {
        try
        {
            _connection.BeginShutdown();
            SendCounted();
            await _exited.WaitAsync(ShutdownGrace).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is IOException or TimeoutException or ObjectDisposedException)
        {
            return _process.HasExited;
        }
    }

    /// <summary>Reads the next result frame, blocking; throws when the worker is gone or the frame is invalid.</summary>
    private TaskResult Read(CancellationToken cancellationToken) => _connection.Receive(cancellationToken) ?? throw Gone();

    /// <summary>The exception for a channel that closed: the worker's exit, with how it ended.</summary>
    private IOException Gone()
    {
        if (!_exited.Wait(ExitCodeWait))
        {
            // The socket closed but the process lingers: it is of no use any more.
            _process.Kill();
            _exited.Wait();
        }

        ProcessTerminatedException ending = _process.Terminated();
        return new IOException($"Worker '{Name}' (pid {_process.Pid}) is gone: {ending.Message}", ending);
    }

    private void ReleaseLastResult()
    {
        _lastResult?.Dispose();
        _lastResult = null;
    }
}
