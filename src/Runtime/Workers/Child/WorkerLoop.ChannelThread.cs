using System.Collections.Concurrent;
using System.IO;
using System.Threading;
using System;
using ParallelDsl.Wire;

namespace ParallelDsl;

/// <summary>The worker's way of serving where the parent's socket cannot be watched without reading it.</summary>
internal static partial class WorkerLoop
{
    /// <summary>
    /// Where the socket cannot be watched without reading it (no <see cref="UnixSocketStream"/>), a channel thread
    /// reads every frame and hands tasks to the main thread, so that the end of the stream is seen while a task runs.
    /// </summary>
    private static int ServeThroughChannelThread(FrameConnection connection, string processName)
    {
        using var tasks = new BlockingCollection<Frame>();
        var progress = new ChannelProgress();
        var channelThread = new Thread(() => ReadFrames(connection, tasks, progress)) { IsBackground = true, Name = "ParallelDsl worker channel" };
        channelThread.Start();

        Action resultSending = progress.ResultSending;
        bool anyFailed = false;
        foreach (Frame frame in tasks.GetConsumingEnumerable())
        {
            using (frame)
            {
                anyFailed |= !RunTask(connection, frame, processName, resultSending);
            }
        }

        return anyFailed ? TaskFailed : Success;
    }

    /// <summary>
    /// Queues task frames until <see cref="FrameKind.Shutdown"/>, which a parent may send right behind its last
    /// task. After it the thread goes on reading, to notice a parent that dies while that task still runs; once
    /// every task's result is on its way, the end of the stream is the parent hanging up and nothing to act on.
    /// </summary>
    private static void ReadFrames(FrameConnection connection, BlockingCollection<Frame> tasks, ChannelProgress progress)
    {
        try
        {
            while (true)
            {
                Frame? frame = connection.Receive();
                switch (frame?.Kind)
                {
                    case null when progress.AllAnswered:
                        return;
                    case null:
                        ExitBecauseParentIsGone();
                        return;
                    case FrameKind.Task when !progress.ShutdownReceived:
                        progress.TaskQueued();
                        tasks.Add(frame);
                        break;
                    case FrameKind.Lane or FrameKind.Wake when !progress.ShutdownReceived:
                        // This way of serving has no lane: the parent never sees it ready and sends tasks as frames.
                        frame.Dispose();
                        break;
                    case FrameKind.Shutdown when !progress.ShutdownReceived:
                        frame.Dispose();
                        progress.ShutdownReceived = true;
                        tasks.CompleteAdding();
                        break;
                    default:
                        frame.Dispose();
                        throw new ProtocolException(progress.ShutdownReceived
                            ? $"The parent sent a {frame.Kind} frame after Shutdown."
                            : $"The parent sent a {frame.Kind} frame; only Task and Shutdown frames may follow authentication.");
                }
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            // The main thread closes the connection when it is done; before that, a broken stream means the parent is gone.
            if (!progress.AllAnswered)
            {
                ExitBecauseParentIsGone();
            }
        }
        catch (ProtocolException exception)
        {
            Environment.Exit(Fail(exception.Message));
        }
    }
}
