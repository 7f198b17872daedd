namespace ParallelDsl.Runtime.Tests.SharedMemory;

/// <summary>How a counting child increments its counter.</summary>
public enum CountingMode
{
    Add,
    Update,
    Lock,
}

/// <summary>
/// Ordinary <c>[RunInProcess]</c> methods that take cross-process handles as arguments. The tests start them with the
/// generated launchers, so each runs in a real child process that opens the handle its parent passed.
/// </summary>
internal static partial class HandleArgumentWorkers
{
    /// <summary>A program-lifetime counter every child of the test run reaches without being passed anything.</summary>
    [SharedValue]
    internal static partial Shared<long> Hits { get; }

    [RunInProcess]
    internal static void Count(Shared<long> counter, CountingMode mode, int times) => Increment(counter, mode, times);

    [RunInProcess]
    internal static void CountHits(CountingMode mode, int times) => Increment(Hits, mode, times);

    /// <summary>Writes i * i into every element and returns the process id that wrote them.</summary>
    [RunInProcess]
    internal static int WriteSquares(SharedArray<long> array)
    {
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = (long)i * i;
        }

        return Environment.ProcessId;
    }

    /// <summary>Puts producer * count + i for i in 0..count-1.</summary>
    [RunInProcess]
    internal static void Produce(CrossProcessQueue<int> queue, int producer, int count)
    {
        for (int i = 0; i < count; i++)
        {
            queue.Put((producer * count) + i);
        }
    }

    /// <summary>Takes items until the queue is completed and empty, counting each in <paramref name="seen"/>; returns how many it took.</summary>
    [RunInProcess]
    internal static int Consume(CrossProcessQueue<int> queue, SharedArray<int> seen)
    {
        int taken = 0;
        foreach (int item in queue.GetConsumingEnumerable())
        {
            Interlocked.Increment(ref seen[item]);
            taken++;
        }

        return taken;
    }

    /// <summary>Answers every number with its successor until the other end closes; returns how many it answered.</summary>
    [RunInProcess]
    internal static int PingPong(PipeEnd<int> end)
    {
        int answered = 0;
        while (end.TryReceive(Timeout.InfiniteTimeSpan, out int number))
        {
            end.Send(number + 1);
            answered++;
        }

        return answered;
    }

    /// <summary>Sends the words, closes its end, then stays alive until <paramref name="exit"/> is set.</summary>
    [RunInProcess]
    internal static void SendAndClose(PipeEnd<string> end, string[] words, CrossProcessEvent exit)
    {
        foreach (string word in words)
        {
            end.Send(word);
        }

        end.Dispose();
        if (!exit.Wait(TimeSpan.FromMinutes(2)))
        {
            throw new TimeoutException("The parent never told the child to exit.");
        }
    }

    /// <summary>Takes the lock, says so through <paramref name="locked"/>, and holds it until the process is killed.</summary>
    [RunInProcess]
    internal static void HoldLock(CrossProcessLock gate, CrossProcessEvent locked)
    {
        LockScope held = gate.Lock();
        locked.Set();
        Thread.Sleep(TimeSpan.FromMinutes(2));
        held.Dispose();
    }

    private static void Increment(Shared<long> counter, CountingMode mode, int times)
    {
        for (int i = 0; i < times; i++)
        {
            switch (mode)
            {
                case CountingMode.Add:
                    counter.Add(1);
                    break;
                case CountingMode.Update:
                    counter.Update(value => value + 1);
                    break;
                case CountingMode.Lock:
                    using (counter.Lock())
                    {
                        counter.Value = counter.Value + 1;
                    }

                    break;
            }
        }
    }
}
