using System.Buffers;
using System.IO;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Threading.Tasks;
using System.Threading;
using System;
using ParallelDsl.GeneratedSupport;
using ParallelDsl.Wire;

namespace ParallelDsl;

/// <summary>
/// The worker's side: connect to the parent, authenticate, then run task frames one after another until the
/// parent sends <see cref="FrameKind.Shutdown"/>. A parent that dies while a task runs is noticed at once (end of
/// stream) even where no parent-death signal exists: on Linux a watch thread waits for the hang-up without reading,
/// elsewhere a channel thread reads every frame.
/// </summary>
internal static partial class WorkerLoop
{
    public const int Success = 0;
    public const int TaskFailed = 1;

    /// <summary>The exit code of a worker whose <c>Main</c> skipped the guard and tried to start workers of its own.</summary>
    public const int MissingGuard = 2;

    public const int ChannelFailed = 3;

    /// <summary>Runs this process as a worker and returns its exit code.</summary>
    public static int Run()
    {
        WorkerEnvironment worker;
        try
        {
            worker = WorkerEnvironment.Take()!;
        }
        catch (FormatException exception)
        {
            return Fail($"its environment is malformed: {exception.Message}");
        }

        CurrentProcess.BecomeWorker(worker);
        if (LibC.TrySetParentDeathSignal() && LibC.GetParentPid() != worker.ParentPid)
        {
            // The parent died before the signal was armed; nobody is waiting for this worker.
            return ChannelFailed;
        }

        FrameConnection connection;
        try
        {
            connection = WorkerConnector.Connect(worker.SocketPath, worker.Key, worker.Token, worker.MaxFrameLength, ProcessSettings.ConnectTimeout);
        }
        catch (Exception exception) when (IsConnectFailure(exception))
        {
            return Fail($"it could not connect to its parent (pid {worker.ParentPid}): {exception.Message}");
        }

        using (connection)
        {
            return Serve(connection, worker);
        }
    }

    // Apart from Run, so that compiling Run does not load the networking assemblies these types live in.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsConnectFailure(Exception exception) =>
        exception is IOException or SocketException or AuthenticationException or ProtocolException;

    private static int Serve(FrameConnection connection, WorkerEnvironment worker) =>
        connection.Stream is UnixSocketStream socket
            ? ServeOnMainThread(connection, socket, worker.Name)
            : ServeThroughChannelThread(connection, worker.Name);

    /// <summary>
    /// The main thread reads each task frame itself, so a task that arrives at an idle worker wakes the thread that
    /// runs it, and nothing else. A watch thread blocks until the parent hangs up, without reading: if that happens
    /// while a task runs, the parent is gone and the worker ends at once.
    /// </summary>
    private static int ServeOnMainThread(FrameConnection connection, UnixSocketStream socket, string processName)
    {
        var watch = new ParentWatch();
        var watchThread = new Thread(() => watch.Run(socket)) { IsBackground = true, Name = "ParallelDsl parent watch" };
        watchThread.Start();
        Action resultSending = watch.EndTask;
        bool anyFailed = false;

        // A pool worker is given a lane: single tasks come through shared memory while it watches (see PoolLane).
        PoolLane? lane = null;
        long laneTaskId = 0;
        long socketFrames = 0;
        try
        {
            while (true)
            {
                if (lane is not null && lane.AwaitWork(laneTaskId, socketFrames) == LaneWork.Task)
                {
                    laneTaskId = lane.PostedTaskId;
                    if (!watch.TryBeginTask())
                    {
                        ExitBecauseParentIsGone();
                    }

                    anyFailed |= !RunLaneTask(connection, lane, laneTaskId, processName, resultSending);
                    continue;
                }

                Frame? frame;
                try
                {
                    frame = connection.Receive();
                }
                catch (IOException)
                {
                    frame = null;
                }
                catch (ProtocolException exception)
                {
                    return Fail(exception.Message);
                }

                lane?.MarkAwake();
                switch (frame?.Kind)
                {
                    case null:
                        // The end of the stream before Shutdown: the parent is gone.
                        ExitBecauseParentIsGone();
                        return ChannelFailed;
                    case FrameKind.Shutdown:
                        frame.Dispose();
                        return anyFailed ? TaskFailed : Success;
                    case FrameKind.Task:
                        socketFrames++;
                        using (frame)
                        {
                            if (!watch.TryBeginTask())
                            {
                                ExitBecauseParentIsGone();
                            }

                            anyFailed |= !RunTask(connection, frame, processName, resultSending);
                        }

                        break;
                    case FrameKind.Lane when lane is null:
                        using (frame)
                        {
                            lane = OpenLane(frame);
                        }

                        break;
                    case FrameKind.Wake:
                        // A task waits in the lane, which the next turn of the loop watches.
                        frame.Dispose();
                        break;
                    default:
                        frame.Dispose();
                        return Fail($"The parent sent a {frame.Kind} frame; only Task, Lane, Wake and Shutdown frames may follow authentication.");
                }
            }
        }
        finally
        {
            lane?.Dispose();
        }
    }

    /// <summary>Maps the lane the parent named; without it the worker serves tasks through the socket only.</summary>
    private static PoolLane? OpenLane(Frame frame)
    {
        try
        {
            string handleName = frame.CreateReader().ReadString();
            return PoolLane.IsSupported ? PoolLane.Open(handleName) : null;
        }
        catch (Exception exception) when (exception is ProtocolException or ArgumentException or InvalidOperationException)
        {
            // The parent sees the lane never marked ready and keeps using the socket.
            Console.Error.WriteLine($"ParallelDsl worker '{CurrentProcess.Name}' (pid {Environment.ProcessId}) works without its lane: {exception.Message}");
            return null;
        }
    }

    /// <summary>Runs one task and sends its result; <see langword="false"/> when the method threw.</summary>
    /// <param name="connection">The connection to the parent.</param>
    /// <param name="frame">The task frame.</param>
    /// <param name="processName">This worker's name, for a remote error.</param>
    /// <param name="resultSending">Called when the task has ended, right before its result is sent.</param>
    private static bool RunTask(FrameConnection connection, Frame frame, string processName, Action resultSending)
    {
        bool succeeded = Execute(connection, ReadRequest(frame.Body), processName);

        // From here on the parent may hang up as soon as it has the result; a failed send ends the worker below.
        resultSending();
        SendResult(connection);
        return succeeded;
    }

    /// <summary>Runs the task posted in the lane and publishes its result there, or through the socket when it does not fit.</summary>
    private static bool RunLaneTask(FrameConnection connection, PoolLane lane, long taskId, string processName, Action resultSending)
    {
        bool succeeded = Execute(connection, ReadRequest(lane.Take(taskId)), processName);
        resultSending();
        if (connection.PendingBody.Length <= PoolLane.Capacity)
        {
            lane.Publish(taskId, connection.PendingBody);
            connection.DiscardPending();
        }
        else
        {
            // Announced first: the slot thread starts reading while this side writes, so a result larger than the
            // socket's buffers never waits for a reader that waits for the announcement.
            lane.PublishInSocket(taskId);
            SendResult(connection);
        }

        return succeeded;
    }

    private static TaskRequest ReadRequest(ReadOnlySpan<byte> body)
    {
        try
        {
            return TaskRequest.Read(body);
        }
        catch (ProtocolException exception)
        {
            Environment.Exit(Fail(exception.Message));
            throw;
        }
    }

    /// <summary>Runs the task and builds its Result frame (the result or the error) as the connection's pending frame.</summary>
    private static bool Execute(FrameConnection connection, TaskRequest request, string processName)
    {
        IBufferWriter<byte> body = connection.Begin(FrameKind.Result);
        TaskResult.WritePrefix(body, request.TaskId, isSuccess: true);
        Exception? failure = null;
        try
        {
            ProcessDispatch.Resolve(request.MethodId, request.OwnerUtf8).Invoke(request.Arguments, body);
            connection.ThrowIfPendingFrameTooLarge();
        }
#pragma warning disable CA1031 // Whatever the method throws belongs to the parent, which rethrows it as a RemoteException.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            failure = exception;
        }

        if (failure is not null)
        {
            body = connection.Begin(FrameKind.Result);
            TaskResult.WritePrefix(body, request.TaskId, isSuccess: false);
            TaskResult.WriteError(body, RemoteError.From(failure, Environment.ProcessId, processName));
        }

        return failure is null;
    }

    private static void SendResult(FrameConnection connection)
    {
        try
        {
            connection.Send();
        }
        catch (IOException)
        {
            ExitBecauseParentIsGone();
        }
    }

    /// <summary>
    /// The parent is gone, so no one wants this worker's result: end at once. SIGKILL rather than an orderly exit,
    /// because exit handlers would join this worker's own children and could keep it alive indefinitely; those
    /// children receive their parent-death signal in turn.
    /// </summary>
    internal static void ExitBecauseParentIsGone()
    {
        _ = LibC.Kill(Environment.ProcessId, LibC.SIGKILL);
        Environment.FailFast("The parent process is gone.");
    }

    private static int Fail(string reason)
    {
        Console.Error.WriteLine($"ParallelDsl worker '{CurrentProcess.Name}' (pid {Environment.ProcessId}) stopped: {reason}");
        return ChannelFailed;
    }
}
