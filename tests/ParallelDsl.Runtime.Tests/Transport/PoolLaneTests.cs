using System.Diagnostics;
using ParallelDsl;

namespace ParallelDsl.Runtime.Tests.Transport;

/// <summary>
/// The lane's handshakes, with both ends in this process (the parent's <see cref="PoolLane.Create"/> and the worker's
/// <see cref="PoolLane.Open"/> map the same memory): a post is seen or the worker is woken, a result is seen or the
/// bell rings, and a frame sent through the socket makes a watching worker receive it.
/// </summary>
public sealed class PoolLaneTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_posted_task_reaches_a_watching_worker_and_its_result_comes_back()
    {
        using PoolLane parent = PoolLane.Create();
        Assert.False(parent.IsReady);
        using PoolLane worker = PoolLane.Open(parent.HandleName);
        Assert.True(parent.IsReady);

        Task<LaneWork> waiting = Task.Run(() => WaitForWork(worker, lastTaskId: 0, socketFrames: 0));
        bool mustWake = parent.Post(1, [1, 2, 3]);
        LaneWork work = await waiting.WaitAsync(Safety);

        if (work == LaneWork.Sleep)
        {
            // The worker gave up watching just before the post; the post said so and the parent would send Wake.
            Assert.True(mustWake);
            worker.MarkAwake();
        }

        Assert.Equal(1, worker.PostedTaskId);
        Assert.Equal([1, 2, 3], worker.Take(1).ToArray());
        Assert.True(parent.WasTaken(1));
        Assert.Equal(LaneResult.Pending, parent.Peek(1));

        parent.BeginWatch();
        worker.Publish(1, [9, 8]);
        parent.EndWatch();

        Assert.Equal(LaneResult.Ready, parent.Peek(1));
        Assert.Equal([9, 8], parent.Result.ToArray());
        Assert.Equal(LaneResult.Pending, parent.Peek(2));
    }

    [Fact]
    public void A_worker_that_watched_in_vain_is_marked_asleep_and_the_next_post_says_to_wake_it()
    {
        using var lanes = new LanePair();
        (PoolLane parent, PoolLane worker) = (lanes.Parent, lanes.Worker);

        long start = Stopwatch.GetTimestamp();
        Assert.Equal(LaneWork.Sleep, worker.AwaitWork(lastTaskId: 0, socketFramesReceived: 0));
        Assert.True(Stopwatch.GetElapsedTime(start) >= PoolLane.WorkerWatchTime);

        Assert.True(parent.Post(1, [7]));
        worker.MarkAwake();
        Assert.False(parent.Post(2, [8]));
        Assert.Equal(LaneWork.Task, worker.AwaitWork(lastTaskId: 1, socketFramesReceived: 0));
    }

    [Fact]
    public void A_frame_counted_for_the_socket_sends_a_watching_worker_to_receive_it()
    {
        using var lanes = new LanePair();
        (PoolLane parent, PoolLane worker) = (lanes.Parent, lanes.Worker);

        parent.CountSocketFrame();

        Assert.Equal(LaneWork.Socket, worker.AwaitWork(lastTaskId: 0, socketFramesReceived: 0));
        Assert.Equal(LaneWork.Sleep, worker.AwaitWork(lastTaskId: 0, socketFramesReceived: 1));
    }

    [Fact]
    public void A_result_nobody_watches_for_rings_the_bell_and_wakes_its_sleeper()
    {
        using LanePair lanes = LanePair.WithTakenTask();
        (PoolLane parent, PoolLane worker) = (lanes.Parent, lanes.Worker);

        int observed = parent.Bell;
        var sleeper = new Thread(() => parent.WaitForBell(observed));
        long start = Stopwatch.GetTimestamp();
        sleeper.Start();
        Thread.Sleep(20);
        worker.Publish(1, [2]);

        Assert.True(sleeper.Join(Safety));
        Assert.True(Stopwatch.GetElapsedTime(start) < TimeSpan.FromMilliseconds(900), "the sleeper waited for its time-out, not the bell");
        Assert.NotEqual(observed, parent.Bell);
    }

    [Fact]
    public void A_result_a_caller_watches_for_rings_no_bell()
    {
        using LanePair lanes = LanePair.WithTakenTask();
        (PoolLane parent, PoolLane worker) = (lanes.Parent, lanes.Worker);
        int observed = parent.Bell;

        parent.BeginWatch();
        worker.Publish(1, [2]);
        parent.EndWatch();

        Assert.Equal(observed, parent.Bell);
        Assert.Equal(LaneResult.Ready, parent.Peek(1));
    }

    [Fact]
    public void A_result_sent_through_the_socket_is_announced_and_always_rings()
    {
        using LanePair lanes = LanePair.WithTakenTask();
        (PoolLane parent, PoolLane worker) = (lanes.Parent, lanes.Worker);
        int observed = parent.Bell;

        parent.BeginWatch();
        worker.PublishInSocket(1);

        Assert.Equal(LaneResult.InSocket, parent.Peek(1));
        Assert.NotEqual(observed, parent.Bell);
        Assert.True(parent.Result.IsEmpty);
    }

    [Fact]
    public void A_disposed_lane_refuses_new_users_but_stays_mapped_for_current_ones()
    {
        PoolLane parent = PoolLane.Create();
        Assert.True(parent.TryEnter());

        parent.Dispose();

        Assert.False(parent.TryEnter());
        parent.Ring();
        Assert.Equal(LaneResult.Pending, parent.Peek(1));
        parent.Exit();
    }

    private static LaneWork WaitForWork(PoolLane worker, long lastTaskId, long socketFrames)
    {
        // A test machine may deschedule this thread for longer than the watch time: keep watching until the post.
        while (true)
        {
            LaneWork work = worker.AwaitWork(lastTaskId, socketFrames);
            if (work != LaneWork.Sleep || worker.PostedTaskId != lastTaskId)
            {
                return work;
            }

            worker.MarkAwake();
        }
    }

    /// <summary>Both ends of one lane, as a pool and its worker map it.</summary>
    private sealed class LanePair : IDisposable
    {
        public PoolLane Parent { get; } = PoolLane.Create();

        public PoolLane Worker { get; }

        public LanePair() => Worker = PoolLane.Open(Parent.HandleName);

        /// <summary>A lane whose worker has taken task 1.</summary>
        public static LanePair WithTakenTask()
        {
            var lanes = new LanePair();
            lanes.Parent.Post(1, [1]);
            lanes.Worker.Take(1);
            return lanes;
        }

        public void Dispose()
        {
            Worker.Dispose();
            Parent.Dispose();
        }
    }
}
