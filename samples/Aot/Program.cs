// A program shipped as one NativeAOT executable: every child process and pool worker is a fresh start of the same
// native binary, and launchers, pools, shared memory, queues and remote exceptions work as they do on the JIT.
// Publish it with `dotnet publish samples/Aot -r linux-x64 -o out` and run `out/Aot`.
using System;
using System.Diagnostics;
using System.Linq;
using System.Runtime;
using ParallelDsl;

namespace ParallelDsl.Samples.Aot;

internal static partial class Program
{
    /// <summary>How many times a worker started on the item 4 in the map below: shared, so every worker sees it.</summary>
    [SharedValue]
    private static partial Shared<int> AttemptsAtFour { get; }

    public static int Main(string[] args)
    {
        // Each worker starts this executable again; the guard runs its task and exits.
        MainGuard.Enter(args);

        Console.WriteLine(IsNative ? "running as native code (NativeAOT)" : "running on the JIT");

        Section("a launcher: a child process and its result");
        using (ProcessHandle<string> child = StartDescribe(6))
        {
            Console.WriteLine(child.Join());
            Console.WriteLine($"in another process: {child.Pid != Environment.ProcessId}");
        }

        Section("a pool map that recovers from a crashed worker");
        using (var pool = new ProcessPool(workers: 2, retries: 1))
        {
            int[] squares = pool.Map(SquareOrCrashOnce, Enumerable.Range(1, 6));
            Console.WriteLine($"[{string.Join(", ", squares)}]: 4 took {AttemptsAtFour.Value} attempts, its first worker was killed");
        }

        Section("a shared array filled by two processes");
        using (var array = new SharedArray<long>(8))
        {
            using ProcessHandle evens = StartFill(array, 0);
            using ProcessHandle odds = StartFill(array, 1);
            evens.Join();
            odds.Join();
            Console.WriteLine(array);
        }

        Section("a queue between two child processes");
        using (var queue = new CrossProcessQueue<int>(maxCount: 4))
        {
            using ProcessHandle producer = StartProduce(queue, 100);
            using ProcessHandle<long> consumer = StartSum(queue);
            producer.Join();
            Console.WriteLine($"the consumer summed {consumer.Join()}");
        }

        Section("an exception thrown in a child");
        using (ProcessHandle<int> failing = StartParse("forty-two"))
        {
            try
            {
                failing.Join();
            }
            catch (RemoteException remote)
            {
                Console.WriteLine($"{remote.RemoteTypeName} from {remote.ProcessName}: {remote.RemoteMessage}");
            }
        }

        return 0;
    }

    [RunInProcess(Name = "describer")]
    private static string Describe(int n) =>
        $"{n} * {n} = {n * n} from {CurrentProcess.Name}" + (IsNative ? ", native too" : "");

    /// <summary>Kills its own worker the first time it sees 4, as a native crash would; the pool runs 4 again.</summary>
    [RunInProcess]
    private static int SquareOrCrashOnce(int n)
    {
        if (n == 4 && AttemptsAtFour.Update(count => count + 1) == 1)
        {
            Process.GetCurrentProcess().Kill();
        }

        return n * n;
    }

    /// <summary>Writes <c>i * 10</c> at every other index, starting at <paramref name="start"/>.</summary>
    [RunInProcess]
    private static void Fill(SharedArray<long> array, int start)
    {
        for (int i = start; i < array.Length; i += 2)
        {
            array[i] = i * 10L;
        }
    }

    /// <summary>Puts 1..count, then completes the queue, so the consumer's loop ends.</summary>
    [RunInProcess]
    private static void Produce(CrossProcessQueue<int> queue, int count)
    {
        for (int i = 1; i <= count; i++)
        {
            queue.Put(i);
        }

        queue.Complete();
    }

    [RunInProcess]
    private static long Sum(CrossProcessQueue<int> queue) => queue.GetConsumingEnumerable().Sum(item => (long)item);

    [RunInProcess(Name = "parser")]
    private static int Parse(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A NativeAOT program has no JIT: it has compiled no method by the time its code runs.</summary>
    private static bool IsNative => JitInfo.GetCompiledMethodCount() == 0;

    private static void Section(string title) => Console.WriteLine($"--- {title} ---");
}
