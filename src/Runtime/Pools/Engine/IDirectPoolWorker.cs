using System;

namespace ParallelDsl;

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
    PostedResult Peek();

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

/// <summary>Where the result of the task posted to an <see cref="IDirectPoolWorker"/> is.</summary>
internal enum PostedResult
{
    /// <summary>The worker has not answered yet.</summary>
    Pending,

    /// <summary>The result is in the lane: any thread may collect it.</summary>
    Ready,

    /// <summary>The result came through the worker's channel: only the slot's thread collects it.</summary>
    InChannel,
}
