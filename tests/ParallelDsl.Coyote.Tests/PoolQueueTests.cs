using Microsoft.Coyote.Specifications;

namespace ParallelDsl.Coyote.Tests;

/// <summary>
/// The engine's chunk queue, which slot threads block on (Monitor waits, a spin before sleeping, wake-ups passed on),
/// explored interleaving by interleaving.
/// </summary>
public class PoolQueueTests
{
    private static readonly Task Never = new TaskCompletionSource().Task;

    [Fact]
    public void Every_chunk_wakes_a_slot_and_goes_to_exactly_one_and_every_slot_learns_the_queue_completed() => Systematic.Explore(async () =>
    {
        // The queue is completed only once every chunk was taken, as a map completes only after its results: a
        // wake-up lost on the way would leave the chunks waiting and the slots asleep, which Coyote reports as a deadlock.
        var queue = new PoolQueue();
        PoolChunk[] chunks = Chunks(6);
        var allTaken = new TaskCompletionSource();
        int takenCount = 0;
        void Taken()
        {
            if (Interlocked.Increment(ref takenCount) == chunks.Length)
            {
                allTaken.SetResult();
            }
        }

        Task<List<PoolChunk>>[] slots = [.. Enumerable.Range(0, 3).Select(_ => Task.Run(() => TakeUntilCompleted(queue, Never, Taken)))];
        Task[] producers = [.. Enumerable.Range(0, 2).Select(p => Task.Run(() =>
        {
            for (int i = p; i < chunks.Length; i += 2)
            {
                queue.Add(chunks[i]);
            }
        }))];

        foreach (Task producer in producers)
        {
            await producer;
        }

        await allTaken.Task;
        queue.Complete();
        var taken = new List<List<PoolChunk>>();
        foreach (Task<List<PoolChunk>> slot in slots)
        {
            taken.Add(await slot);
        }

        PoolChunk[] all = [.. taken.SelectMany(t => t)];
        Specification.Assert(all.Length == chunks.Length, $"{all.Length} chunks were taken of {chunks.Length}.");
        Specification.Assert(all.Distinct().Count() == chunks.Length, "A chunk was taken twice.");
        Specification.Assert(queue.IsCompleted, "The queue is not complete and empty at the end.");
    });

    [Fact]
    public void A_slot_whose_worker_exits_while_it_waits_leaves_and_the_other_slot_still_gets_every_chunk() => Systematic.Explore(async () =>
    {
        var queue = new PoolQueue();
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        PoolChunk[] chunks = Chunks(4);
        Task<List<PoolChunk>> dying = Task.Run(() => TakeUntilCompleted(queue, exited.Task));
        Task<List<PoolChunk>> healthy = Task.Run(() => TakeUntilCompleted(queue, Never));
        Task killer = Task.Run(() =>
        {
            exited.SetResult();
            queue.WakeAll();
        });
        Task producer = Task.Run(() => Array.ForEach(chunks, queue.Add));

        await killer;
        await producer;
        queue.Complete();
        List<PoolChunk>[] taken = [await dying, await healthy];

        PoolChunk[] all = [.. taken.SelectMany(t => t)];
        Specification.Assert(all.Length == chunks.Length && all.Distinct().Count() == chunks.Length, $"Chunks were lost or doubled: {all.Length} taken of {chunks.Length}.");
    });

    [Fact]
    public void A_lent_worker_is_never_in_two_hands_and_the_slot_ends_once_the_lend_is_collected() => Systematic.Explore(async () =>
    {
        var queue = new PoolQueue();
        var lease = new PoolSlotLease(null!);
        var hands = new Hands();
        PoolChunk[] chunks = Chunks(2);
        PoolChunk lentChunk = Chunks(1)[0];
        int lends = 0;
        bool lenderDone = false;

        Task slot = Task.Run(async () =>
        {
            while (true)
            {
                lease.Offer(null!);
                PoolQueue.Signal signal = queue.Take(Never, lease, out PoolChunk? chunk);
                if (signal == PoolQueue.Signal.Completed)
                {
                    return;
                }

                if (signal == PoolQueue.Signal.Chunk)
                {
                    await hands.UseAsync("the slot thread running a chunk");
                    continue;
                }

                Specification.Assert(signal == PoolQueue.Signal.Lent, $"Unexpected signal {signal}.");
                while (lease.IsOut)
                {
                    await Task.Delay(1);
                }
            }
        });
        Task lender = Task.Run(async () =>
        {
            for (int attempt = 0; attempt < 2; attempt++)
            {
                if (lease.TryBeginLending())
                {
                    await hands.UseAsync("a submitting thread posting a task");
                    Interlocked.Increment(ref lends);
                    lease.Lend(lentChunk);
                    if (lease.SlotSleeping)
                    {
                        queue.WakeAll();
                    }
                }
            }

            Volatile.Write(ref lenderDone, true);
        });
        Task collector = Task.Run(async () =>
        {
            int collected = 0;
            while (!Volatile.Read(ref lenderDone) || collected < Volatile.Read(ref lends))
            {
                if (lease.TryClaim())
                {
                    await hands.UseAsync("a thread collecting the lent result");
                    lease.Release();
                    collected++;
                }
                else
                {
                    await Task.Delay(1);
                }
            }
        });
        Task producer = Task.Run(() => Array.ForEach(chunks, queue.Add));

        await lender;
        await collector;
        await producer;
        queue.Complete();
        await slot;
        Specification.Assert(!lease.IsOut, "The worker is still out after every lend was collected.");
    });

    private static List<PoolChunk> TakeUntilCompleted(PoolQueue queue, Task workerExited, Action? taken = null)
    {
        var mine = new List<PoolChunk>();
        while (true)
        {
            switch (queue.Take(workerExited, lease: null, out PoolChunk? chunk))
            {
                case PoolQueue.Signal.Chunk:
                    mine.Add(chunk!);
                    taken?.Invoke();
                    break;
                case PoolQueue.Signal.Completed:
                case PoolQueue.Signal.WorkerExited:
                    return mine;
                case var other:
                    Specification.Assert(false, $"A slot without a lease got {other}.");
                    return mine;
            }
        }
    }

    private static PoolChunk[] Chunks(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new PoolChunk(new LocalCallJob<int>(_ => 1), 0, 1))];

    /// <summary>Counts who holds the worker: more than one at a time is the bug the lease exists to prevent.</summary>
    private sealed class Hands
    {
        private int _holders;

        // Holds the worker across a scheduling point, so that Coyote may run another hand in the middle.
        public async Task UseAsync(string who)
        {
            int holders = Interlocked.Increment(ref _holders);
            Specification.Assert(holders == 1, $"The worker is in two hands at once: {who} and another.");
            await Task.Yield();
            Interlocked.Decrement(ref _holders);
        }
    }
}
