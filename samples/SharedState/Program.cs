// The classic Python multiprocessing examples for shared state, ported to ParallelDsl: [SharedValue] properties
// (multiprocessing.Value/Array), and shared values, arrays, queues and pipe ends passed to [RunInProcess] methods,
// where the child process opens the same object instead of receiving a copy.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ParallelDsl;

namespace ParallelDsl.Samples.SharedState;

internal static partial class Program
{
    /// <summary>Python: <c>num = Value('i', 0)</c>, one value for every process of the run.</summary>
    [SharedValue]
    private static partial Shared<int> Counter { get; }

    /// <summary>Python: <c>arr = Array('i', 3)</c>.</summary>
    [SharedValue(Length = 3)]
    private static partial SharedArray<int> Counts { get; }

    public static int Main(string[] args)
    {
        MainGuard.Enter(args);

        Section("a shared int and a shared int array, each incremented by 3 processes");
        var incrementers = Enumerable.Range(0, 3).Select(_ => StartIncrementAll()).ToList();
        JoinAll(incrementers);
        Console.WriteLine(Counter.Value);
        Console.WriteLine(Counts);

        Section("a shared double and an array 0..9, negated by two processes in turn");
        using (var number = new Shared<double>(0.0))
        using (var array = new SharedArray<int>(Enumerable.Range(0, 10).ToArray()))
        {
            for (int turn = 0; turn < 2; turn++)
            {
                using ProcessHandle child = StartAddOneAndNegate(number, array);
                child.Join();
            }

            Console.WriteLine(number.Value.ToString("0.0", CultureInfo.InvariantCulture));
            Console.WriteLine(array);
        }

        Section("a queue fed by 3 processes");
        using (var squares = new CrossProcessQueue<int>())
        {
            var feeders = new[] { 1, 2, 3 }.Select(n => StartPutSquare(squares, n)).ToList();
            for (int i = 0; i < feeders.Count; i++)
            {
                Console.WriteLine(squares.Get(TimeSpan.FromMinutes(1)));
            }

            JoinAll(feeders);
        }

        Section("a pipe: the parent sends, the child replies");
        var (parentEnd, childEnd) = Pipe.Create<string>();
        using (parentEnd)
        {
            ProcessHandle child;
            // The child opens its end from this process's copy: keep the copy until the child has answered.
            using (childEnd)
            {
                child = StartReply(childEnd);
                parentEnd.Send("hello from the parent");
                Console.WriteLine($"parent received: {parentEnd.Receive()}");
            }

            using (child)
            {
                child.Join();
            }
        }

        Section("a producer process feeding a consumer thread");
        using (var items = new CrossProcessQueue<int>(maxCount: 2))
        {
            using ProcessHandle producer = StartProduce(items, 5);
            ThreadHandle<int> consumer = StartConsume(items);
            producer.Join();
            Console.WriteLine($"the consumer thread took {consumer.Join()} items");
        }

        return 0;
    }

    /// <summary>Python: <c>with lock: num.value += 1; for i in range(len(arr)): arr[i] += 1</c>.</summary>
    [RunInProcess]
    private static void IncrementAll()
    {
        Counter.Add(1);
        using (Counts.Lock())
        {
            for (int i = 0; i < Counts.Length; i++)
            {
                Counts[i]++;
            }
        }
    }

    /// <summary>Python's <c>f(n, a)</c>: the value and the array arrive as handles; the child changes the parent's memory.</summary>
    [RunInProcess]
    private static void AddOneAndNegate(Shared<double> number, SharedArray<int> array)
    {
        number.Update(value => value + 1.0);
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = -array[i];
        }
    }

    /// <summary>Python: <c>q.put(n * n)</c> in a child process.</summary>
    [RunInProcess]
    private static void PutSquare(CrossProcessQueue<int> queue, int n) => queue.Put(n * n);

    /// <summary>Python: <c>print(conn.recv()); conn.send(...)</c> in a child process.</summary>
    [RunInProcess]
    private static void Reply(PipeEnd<string> end)
    {
        Console.WriteLine($"child received: {end.Receive()}");
        end.Send("hello from the child");
    }

    /// <summary>Puts 0..count-1, then completes the queue, so the consumer's loop ends (no sentinel value needed).</summary>
    [RunInProcess]
    private static void Produce(CrossProcessQueue<int> queue, int count)
    {
        for (int i = 0; i < count; i++)
        {
            queue.Put(i);
            Console.WriteLine($"produced {i}");
        }

        queue.Complete();
    }

    [RunInThread]
    private static int Consume(CrossProcessQueue<int> queue)
    {
        int taken = 0;
        foreach (int item in queue.GetConsumingEnumerable())
        {
            Console.WriteLine($"consumed {item}");
            taken++;
        }

        return taken;
    }

    private static void JoinAll(List<ProcessHandle> children)
    {
        foreach (ProcessHandle child in children)
        {
            using (child)
            {
                child.Join();
            }
        }
    }

    private static void Section(string title) => Console.WriteLine($"\n-- {title} --");
}
