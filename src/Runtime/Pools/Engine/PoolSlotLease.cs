using System.Threading;

namespace ParallelDsl;

/// <summary>
/// Who holds the worker of one slot: the slot's thread, or a submitting thread that borrowed the idle worker to post a
/// single task through its lane (<see cref="IDirectPoolWorker"/>). Every change of hands is one compare-and-swap, so
/// the worker is never used by two threads at once, and only the slot's thread ever stops or replaces it.
/// </summary>
/// <remarks>
/// States: <c>Held</c> (the slot thread runs chunks, starts or stops the worker), <c>Idle</c> (the slot thread waits
/// for work and the worker may be lent), <c>Lending</c> (a thread is posting), <c>Lent</c> (a task is posted),
/// <c>Collecting</c> (a thread is taking the result or settling the loss of the worker).
/// </remarks>
internal sealed class PoolSlotLease(PoolEngine engine)
{
    private const int Held = (int)State.Held;
    private const int Idle = (int)State.Idle;
    private const int Lending = 2;
    private const int Lent = 3;
    private const int Collecting = 4;

    private int _state;
    private int _collected;
    private int _slotSleeping;
    private int _watching;
    private IDirectPoolWorker? _worker;
    private PoolChunk? _chunk;

    /// <summary>Where a lend that posted nothing leaves the worker.</summary>
    public enum State
    {
        /// <summary>With the slot thread, which lent it itself.</summary>
        Held = 0,

        /// <summary>Idle, for the next lend or the slot thread.</summary>
        Idle = 1,
    }

    /// <summary>The engine whose slot this is: a waiting caller collects through it.</summary>
    public PoolEngine Engine => engine;

    /// <summary>The worker of the slot while it is offered or lent.</summary>
    public IDirectPoolWorker? Worker => Volatile.Read(ref _worker);

    /// <summary>The chunk (one task) posted through the lane while the worker is lent.</summary>
    public PoolChunk? Chunk => Volatile.Read(ref _chunk);

    /// <summary>Whether the worker is out of the slot thread's hands (being lent, lent, or its task being collected).</summary>
    public bool IsOut => Volatile.Read(ref _state) >= Lending;

    /// <summary>Whether a task is posted and waits to be collected.</summary>
    public bool IsLent => Volatile.Read(ref _state) == Lent;

    /// <summary>Whether the slot thread holds the worker or may take it back at once.</summary>
    public bool IsIdle => Volatile.Read(ref _state) == Idle;

    /// <summary>Whether the slot thread sleeps in the queue's wait, so that a lender must wake it to watch the lane.</summary>
    public bool SlotSleeping
    {
        get => Volatile.Read(ref _slotSleeping) != 0;
        set => Interlocked.Exchange(ref _slotSleeping, value ? 1 : 0);
    }

    /// <summary>Whether the slot thread watches the lane (and sleeps on its bell when nothing happens).</summary>
    public bool Watching
    {
        get => Volatile.Read(ref _watching) != 0;
        set => Volatile.Write(ref _watching, value ? 1 : 0);
    }

    /// <summary>Slot thread: offers its idle worker for lending (it is already offered after a watch).</summary>
    public void Offer(IDirectPoolWorker worker)
    {
        Volatile.Write(ref _worker, worker);
        Interlocked.CompareExchange(ref _state, Idle, Held);
    }

    /// <summary>Slot thread: takes the worker back; <see langword="false"/> when it is out (then it is not the slot's to use).</summary>
    public bool TryTakeBack() => Interlocked.CompareExchange(ref _state, Held, Idle) is Idle or Held;

    /// <summary>Lender: borrows the idle worker to post a task.</summary>
    public bool TryBeginLending() => Interlocked.CompareExchange(ref _state, Lending, Idle) == Idle;

    /// <summary>Slot thread: lends its worker to itself, to post a queued single task through the lane.</summary>
    public bool TryBeginLendingFromSlot() => Interlocked.CompareExchange(ref _state, Lending, Held) == Held;

    /// <summary>Lender: the task is posted; whoever waits for it may collect it now.</summary>
    public void Lend(PoolChunk chunk)
    {
        Volatile.Write(ref _chunk, chunk);
        Interlocked.Exchange(ref _state, Lent);
    }

    /// <summary>Lender: nothing was posted; the worker goes back to where the lend found it.</summary>
    public void CancelLending(State back) => Volatile.Write(ref _state, (int)back);

    /// <summary>Claims the posted task for collection (or for settling a lost worker); one thread wins.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Collecting, Lent) == Lent;

    /// <summary>Gives a claim back: the posted task waits to be collected again.</summary>
    public void Unclaim() => Volatile.Write(ref _state, Lent);

    /// <summary>Collector: the result is taken and the worker idle again (the task is reported after this).</summary>
    public void Release()
    {
        Interlocked.Increment(ref _collected);
        Volatile.Write(ref _chunk, null);
        Volatile.Write(ref _state, Idle);
    }

    /// <summary>Slot thread: the number of lent tasks collected since the last call.</summary>
    public int TakeCollected() => Interlocked.Exchange(ref _collected, 0);

    /// <summary>Collector on the slot thread: the worker is lost; the slot thread holds it to stop it.</summary>
    public void Withdraw()
    {
        Volatile.Write(ref _chunk, null);
        Volatile.Write(ref _state, Held);
    }
}
