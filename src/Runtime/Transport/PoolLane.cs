using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading;

namespace ParallelDsl;

/// <summary>What a pool worker waiting in <see cref="PoolLane.AwaitWork"/> should do next.</summary>
internal enum LaneWork
{
    /// <summary>A task was posted in the lane.</summary>
    Task,

    /// <summary>A frame is on its way through the socket: receive it.</summary>
    Socket,

    /// <summary>Nothing came while the worker watched; it is marked asleep: block in the socket's receive.</summary>
    Sleep,
}

/// <summary>Where the result of the task posted in a lane is.</summary>
internal enum LaneResult
{
    /// <summary>The worker has not answered yet.</summary>
    Pending,

    /// <summary>The result frame body is in the lane.</summary>
    Ready,

    /// <summary>The result did not fit in the lane: it travels as a Result frame through the socket.</summary>
    InSocket,
}

/// <summary>
/// The shared-memory lane between a process pool and one of its workers: one task at a time, posted by the thread that
/// submits it and collected by the thread that waits for it, with no system call on either side while both watch.
/// </summary>
/// <remarks>
/// <para>
/// A socket round trip costs two wake-ups of a sleeping process, which is most of its time. The lane replaces them by
/// watching: after each task the worker keeps looking at the lane for a moment (<see cref="WorkerWatchTime"/>), and a
/// caller waiting for a result looks at it too. Whoever stops watching says so first and then looks once more, and the
/// other side checks that mark after publishing (both with full fences), so a post or a result is never missed:
/// </para>
/// <list type="bullet">
/// <item>a worker that stopped watching is asleep in its socket receive; the parent then sends a <c>Wake</c> frame;</item>
/// <item>a result that no caller watches for rings the <em>bell</em>, a futex word in the lane, on which the pool's slot
/// thread for this worker sleeps; the slot thread collects it.</item>
/// </list>
/// <para>
/// Layout of the data (after the segment header): a line the parent writes (the posted task's id, the count of frames
/// sent through the socket, the task's length), a line of callers watching, the bell, a line the worker writes (the
/// task it took, the task it answered, the result's length, whether it sleeps, whether it has mapped the lane), then
/// the task area and the result area, <see cref="Capacity"/> bytes each. Both hold frame bodies: a Task frame's and a
/// Result frame's.
/// </para>
/// </remarks>
internal sealed unsafe partial class PoolLane : IDisposable
{
    /// <summary>The largest task or result body that travels through the lane; larger ones take the socket.</summary>
    public const int Capacity = 64 * 1024;

    /// <summary>How long a worker keeps watching the lane after a task before it sleeps in its socket receive.</summary>
    public static readonly TimeSpan WorkerWatchTime = TimeSpan.FromMicroseconds(100);

    /// <summary>How long a slot thread sleeps on the bell before it looks again, whatever happens.</summary>
    private const int BellCheckMilliseconds = 1000;

    private const int ControlBytes = 256;
    private const long DataLength = ControlBytes + (2L * Capacity);
    private static readonly SegmentShape Shape = new(SegmentKind.PoolLane, 1, 0, DataLength, "pool lane");
    private static readonly long WorkerWatchTicks = (long)(WorkerWatchTime.TotalSeconds * Stopwatch.Frequency);

    private readonly SharedSegment _segment;
    private readonly Control* _control;
    private readonly byte* _taskArea;
    private readonly byte* _resultArea;

    private PoolLane(SharedSegment segment)
    {
        _segment = segment;
        _control = (Control*)segment.Data;
        _taskArea = segment.Data + ControlBytes;
        _resultArea = _taskArea + Capacity;
    }

    /// <summary>Whether lanes work here: Linux on x86-64 or AArch64 (memory files and futexes).</summary>
    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>The name the worker opens the lane by.</summary>
    public string HandleName => _segment.HandleName;

    /// <summary>Creates a lane (parent side).</summary>
    public static PoolLane Create()
    {
        SharedSegment segment = SharedSegment.Create(Shape, SegmentIds.NewRandom());
        segment.MarkReady();
        return new PoolLane(segment);
    }

    /// <summary>Opens the lane the parent created and marks it mapped (worker side).</summary>
    public static PoolLane Open(string handleName)
    {
        var lane = new PoolLane(SharedSegment.Open(handleName, Shape));
        Volatile.Write(ref lane._control->WorkerReady, 1);
        return lane;
    }

    /// <summary>Marks the lane in use so that a concurrent <see cref="Dispose"/> keeps it mapped; <see langword="false"/> once disposed.</summary>
    public bool TryEnter() => _segment.TryEnter();

    /// <summary>Ends a use begun with <see cref="TryEnter"/>.</summary>
    public void Exit() => _segment.Exit();

    /// <summary>Unmaps the lane once no thread uses it.</summary>
    public void Dispose() => _segment.Dispose();

    // ---- parent side ----

    /// <summary>Whether the worker has mapped the lane and may be given tasks through it.</summary>
    public bool IsReady => Volatile.Read(ref _control->WorkerReady) != 0;

    /// <summary>
    /// Copies a Task frame body into the lane and publishes it as task <paramref name="taskId"/>. Returns whether the
    /// worker had stopped watching, in which case the caller must send it a <c>Wake</c> frame.
    /// </summary>
    public bool Post(long taskId, ReadOnlySpan<byte> taskBody)
    {
        taskBody.CopyTo(TaskArea);
        return Post(taskId, taskBody.Length);
    }

    /// <summary>
    /// The task area, for a caller that writes the next Task frame body there itself and then calls
    /// <see cref="Post(long, int)"/>; the worker does not read it until then.
    /// </summary>
    public Span<byte> TaskArea => new(_taskArea, Capacity);

    /// <summary>
    /// Publishes the <paramref name="taskBodyLength"/> bytes written in <see cref="TaskArea"/> as task
    /// <paramref name="taskId"/>. Returns whether the worker had stopped watching (as the other overload does).
    /// </summary>
    public bool Post(long taskId, int taskBodyLength)
    {
        _control->TaskLength = taskBodyLength;
        Interlocked.Exchange(ref _control->Posted, taskId);
        return Volatile.Read(ref _control->WorkerSleeping) != 0;
    }

    /// <summary>Where the result of task <paramref name="taskId"/> is.</summary>
    public LaneResult Peek(long taskId)
    {
        if (Volatile.Read(ref _control->Answered) != taskId)
        {
            return LaneResult.Pending;
        }

        return Volatile.Read(ref _control->ResultLength) >= 0 ? LaneResult.Ready : LaneResult.InSocket;
    }

    /// <summary>The Result frame body of the answered task; valid until the next task is posted.</summary>
    public ReadOnlySpan<byte> Result => new(_resultArea, Math.Clamp(Volatile.Read(ref _control->ResultLength), 0, Capacity));

    /// <summary>Whether the worker took task <paramref name="taskId"/> out of the lane (it may have died before).</summary>
    public bool WasTaken(long taskId) => Volatile.Read(ref _control->Taken) == taskId;

    /// <summary>Counts a caller that starts watching for the result: while any watches, the worker does not ring the bell.</summary>
    public void BeginWatch() => Interlocked.Increment(ref _control->CallersWatching);

    /// <summary>Counts a caller that stops watching; it must look at the result once more afterwards.</summary>
    public void EndWatch() => Interlocked.Decrement(ref _control->CallersWatching);

    /// <summary>Counts a frame the worker must receive (Task, Shutdown), before it is sent: a watching worker then receives it.</summary>
    public void CountSocketFrame() => Interlocked.Increment(ref _control->SocketFrames);

    /// <summary>The bell's current value: pass it to <see cref="WaitForBell"/> after checking what the bell announces.</summary>
    public int Bell => Volatile.Read(ref _control->Bell);

    /// <summary>
    /// Sleeps until the bell rings after it read <paramref name="observed"/>, or a second passes. Call it only after
    /// reading the bell and then finding nothing to do: a ring in between returns at once.
    /// </summary>
    public void WaitForBell(int observed)
    {
        Interlocked.Exchange(ref _control->BellSleepers, 1);
        if (Volatile.Read(ref _control->Bell) == observed)
        {
            var timeout = new Futex.TimeSpec { Seconds = BellCheckMilliseconds / 1000, Nanoseconds = BellCheckMilliseconds % 1000 * 1_000_000 };
            Futex.Wait(&_control->Bell, observed, &timeout);
        }

        Volatile.Write(ref _control->BellSleepers, 0);
    }

    /// <summary>Rings the bell: the slot thread sleeping on it wakes and looks at the lane, its worker and the pool's queue.</summary>
    public void Ring()
    {
        Interlocked.Increment(ref _control->Bell);
        if (Volatile.Read(ref _control->BellSleepers) != 0)
        {
            Futex.Wake(&_control->Bell);
        }
    }

    // ---- worker side ----

    /// <summary>
    /// Watches the lane for a task after <paramref name="lastTaskId"/> and the socket counter for a frame after the
    /// <paramref name="socketFramesReceived"/> received, for <see cref="WorkerWatchTime"/>; then marks the worker asleep
    /// and looks once more. After <see cref="LaneWork.Sleep"/> or <see cref="LaneWork.Socket"/>, call
    /// <see cref="MarkAwake"/> once the socket's receive returns.
    /// </summary>
    public LaneWork AwaitWork(long lastTaskId, long socketFramesReceived)
    {
        long start = Stopwatch.GetTimestamp();
        var spinner = default(SpinWait);
        while (true)
        {
            if (Volatile.Read(ref _control->Posted) != lastTaskId)
            {
                return LaneWork.Task;
            }

            if (Volatile.Read(ref _control->SocketFrames) != socketFramesReceived)
            {
                return LaneWork.Socket;
            }

            if (Stopwatch.GetTimestamp() - start >= WorkerWatchTicks)
            {
                break;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }

        Interlocked.Exchange(ref _control->WorkerSleeping, 1);
        if (Volatile.Read(ref _control->Posted) != lastTaskId)
        {
            MarkAwake();
            return LaneWork.Task;
        }

        return LaneWork.Sleep;
    }

    /// <summary>Marks the worker awake after a receive from the socket.</summary>
    public void MarkAwake() => Volatile.Write(ref _control->WorkerSleeping, 0);

    /// <summary>The id of the task posted last.</summary>
    public long PostedTaskId => Volatile.Read(ref _control->Posted);

    /// <summary>Takes the posted task: marks it taken and returns its Task frame body, valid until the result is published.</summary>
    public ReadOnlySpan<byte> Take(long taskId)
    {
        Volatile.Write(ref _control->Taken, taskId);
        return new ReadOnlySpan<byte>(_taskArea, Math.Clamp(_control->TaskLength, 0, Capacity));
    }

    /// <summary>Publishes a Result frame body that fits (see <see cref="Capacity"/>); rings the bell when no caller watches.</summary>
    public void Publish(long taskId, ReadOnlySpan<byte> resultBody)
    {
        resultBody.CopyTo(new Span<byte>(_resultArea, Capacity));
        Volatile.Write(ref _control->ResultLength, resultBody.Length);
        Interlocked.Exchange(ref _control->Answered, taskId);
        if (Volatile.Read(ref _control->CallersWatching) == 0)
        {
            Ring();
        }
    }

    /// <summary>Says the result of <paramref name="taskId"/> was sent as a Result frame; rings the bell, since only the slot thread reads the socket.</summary>
    public void PublishInSocket(long taskId)
    {
        Volatile.Write(ref _control->ResultLength, -1);
        Interlocked.Exchange(ref _control->Answered, taskId);
        Ring();
    }

    [StructLayout(LayoutKind.Explicit, Size = ControlBytes)]
    private struct Control
    {
        // Written by the parent.
        [FieldOffset(0)] public long Posted;
        [FieldOffset(8)] public long SocketFrames;
        [FieldOffset(16)] public int TaskLength;

        // Written by waiting callers, read by the worker when it answers.
        [FieldOffset(64)] public int CallersWatching;

        // The bell and whether the slot thread sleeps on it.
        [FieldOffset(128)] public int Bell;
        [FieldOffset(132)] public int BellSleepers;

        // Written by the worker.
        [FieldOffset(192)] public long Taken;
        [FieldOffset(200)] public long Answered;
        [FieldOffset(208)] public int ResultLength;
        [FieldOffset(212)] public int WorkerSleeping;
        [FieldOffset(216)] public int WorkerReady;
    }

    /// <summary>The futex system call on a word of shared memory (not the private variant: both processes use it).</summary>
    private static partial class Futex
    {
        private const int WaitOperation = 0;
        private const int WakeOperation = 1;

        private static readonly nint SystemCallNumber = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 98 : 202;

        [StructLayout(LayoutKind.Sequential)]
        public struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        /// <summary>Sleeps while <c>*word == expected</c>, until woken or <paramref name="timeout"/> (relative) passes.</summary>
        public static void Wait(int* word, int expected, TimeSpec* timeout) =>
            _ = SystemCall(SystemCallNumber, (nint)word, WaitOperation, expected, (nint)timeout, 0, 0);

        /// <summary>Wakes the threads sleeping on <paramref name="word"/>.</summary>
        public static void Wake(int* word) =>
            _ = SystemCall(SystemCallNumber, (nint)word, WakeOperation, int.MaxValue, 0, 0, 0);

        [LibraryImport("libc", EntryPoint = "syscall")]
        private static partial nint SystemCall(nint number, nint word, int operation, int value, nint timeout, nint word2, int value3);
    }
}
