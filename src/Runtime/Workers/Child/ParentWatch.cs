using System.Threading;
using ParallelDsl.Wire;

namespace ParallelDsl;

/// <summary>
/// Tells the watch thread whether the main thread holds a task whose result is not on its way yet. Each side
/// writes its own flag, then reads the other's (full fences): if the parent hangs up as a task starts, one of
/// them sees it.
/// </summary>
internal sealed class ParentWatch
{
    private int _taskRunning;
    private int _hungUp;

    public void Run(UnixSocketStream socket)
    {
        socket.WaitForHangUp();
        Interlocked.Exchange(ref _hungUp, 1);
        if (Volatile.Read(ref _taskRunning) != 0)
        {
            WorkerLoop.ExitBecauseParentIsGone();
        }
    }

    /// <summary>Marks a task as running; <see langword="false"/> when the parent has already hung up.</summary>
    public bool TryBeginTask()
    {
        Interlocked.Exchange(ref _taskRunning, 1);
        return Volatile.Read(ref _hungUp) == 0;
    }

    public void EndTask() => Volatile.Write(ref _taskRunning, 0);
}

/// <summary>
/// What the channel thread needs to tell a parent that hangs up after its results from one that died: whether
/// Shutdown arrived and how many tasks have no result on its way yet. It outlives the task queue, which the
/// main thread disposes while the channel thread may still be reading.
/// </summary>
internal sealed class ChannelProgress
{
    private int _unanswered;
    private volatile bool _shutdownReceived;

    public bool ShutdownReceived
    {
        get => _shutdownReceived;
        set => _shutdownReceived = value;
    }

    public bool AllAnswered => _shutdownReceived && Volatile.Read(ref _unanswered) == 0;

    public void TaskQueued() => Interlocked.Increment(ref _unanswered);

    public void ResultSending() => Interlocked.Decrement(ref _unanswered);
}
