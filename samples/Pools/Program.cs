// The Python pool examples (multiprocessing.Pool, concurrent.futures), ported to ParallelDsl. A ProcessPool runs
// [RunInProcess] methods, passed by name, in warm worker processes; a ThreadPoolExecutor runs any delegate on threads.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using ParallelDsl;

namespace ParallelDsl.Samples.Pools;

internal static partial class Program
{
    private static int s_running;
    private static int s_peak;

    public static int Main(string[] args)
    {
        // A worker process is a fresh start of this program: the guard sends it to its tasks instead of the lines below.
        MainGuard.Enter(args);

        Section("map of square over [1, 2, 3, 4]");
        using (var pool = new ProcessPool(workers: 2))
        {
            int[] squares = pool.Map(Square, [1, 2, 3, 4]);
            Console.WriteLine($"[{string.Join(", ", squares)}]");
        }

        Section("a thread-pool executor with 3 workers running 5 tasks");
        using (var executor = new ThreadPoolExecutor(maxWorkers: 3))
        {
            List<PoolTask<int>> tasks = [.. Enumerable.Range(0, 5).Select(i => executor.Submit(() => Task(i)))];
            Console.WriteLine($"results: {string.Join(", ", tasks.Select(task => task.Result))}");
        }

        Section("as completed: results in the order their tasks end");
        using (var pool = new ProcessPool(workers: 3))
        {
            List<PoolTask<int>> tasks = [.. new[] { 3, 1, 2 }.Select(seconds => pool.Submit(SlowSquare, seconds))];
            foreach (PoolTask<int> done in PoolTask.AsCompleted(tasks, TimeSpan.FromMinutes(1)))
            {
                Console.WriteLine($"completed: {done.Result}");
            }
        }

        Section("at most 2 tasks at once");
        using (var executor = new ThreadPoolExecutor(maxWorkers: 2))
        {
            using var pair = new Barrier(2);
            List<PoolTask<bool>> tasks = [.. Enumerable.Range(0, 6).Select(_ => executor.Submit(() => Limited(pair)))];
            tasks.ForEach(task => task.Wait(TimeSpan.FromMinutes(1)));
            Console.WriteLine($"peak concurrency = {s_peak}");
        }

        Section("a pool that survives a task that crashes its worker");
        using (var pool = new ProcessPool(workers: 2))
        {
            List<PoolTask<int>> tasks = [.. Enumerable.Range(1, 5).Select(n => pool.Submit(Risky, n))];
            foreach ((PoolTask<int> task, int n) in tasks.Select((task, i) => (task, i + 1)))
            {
                task.Wait(TimeSpan.FromMinutes(1));
                Console.WriteLine(task.Exception is WorkerCrashedException crash
                    ? $"risky({n}) failed: its worker {crash.WorkerName} died and was replaced"
                    : $"risky({n}) = {task.Result}");
            }

            Console.WriteLine($"the pool still works: [{string.Join(", ", pool.Map(Square, [5, 6]))}]");
        }

        Section("a long map with a progress bar, then the workers' insights");
        using (var pool = new ProcessPool(workers: 2))
        {
            // On a terminal the bar is redrawn in place; redirected, it prints a plain line every half second.
            int[] slow = pool.Map(SlowSquare10ms, Enumerable.Range(0, 200), chunkSize: 1, progress: ConsoleProgress.Bar("squares", TimeSpan.FromMilliseconds(500)));
            Console.WriteLine($"sum of squares: {slow.Sum()}");
            Console.Write(pool.Insights);
        }

        return 0;
    }

    [RunInProcess]
    private static int Square(int n) => n * n;

    /// <summary>A task long enough (10 ms) that a map of a few hundred shows its progress.</summary>
    [RunInProcess]
    private static int SlowSquare10ms(int n)
    {
        Thread.Sleep(10);
        return n * n;
    }

    /// <summary>Takes <paramref name="tenths"/> tenths of a second, so the tasks end in a known order.</summary>
    [RunInProcess]
    private static int SlowSquare(int tenths)
    {
        Thread.Sleep(TimeSpan.FromMilliseconds(100 * tenths));
        return tenths * tenths;
    }

    /// <summary>Kills its own worker process for 3, as a native crash would; squares the others.</summary>
    [RunInProcess]
    private static int Risky(int n)
    {
        if (n == 3)
        {
            Process.GetCurrentProcess().Kill();
        }

        return n * n;
    }

    private static int Task(int i)
    {
        Console.WriteLine($"task {i} started");
        Thread.Sleep(100);
        Console.WriteLine($"task {i} finished");
        return i * 10;
    }

    /// <summary>Counts the tasks running at once; tasks meet in pairs, so two do overlap whenever the pool allows it.</summary>
    private static bool Limited(Barrier pair)
    {
        int running = Interlocked.Increment(ref s_running);
        int peak;
        while (running > (peak = Volatile.Read(ref s_peak)) && Interlocked.CompareExchange(ref s_peak, running, peak) != peak)
        {
        }

        bool met = pair.SignalAndWait(TimeSpan.FromSeconds(30));
        Interlocked.Decrement(ref s_running);
        return met;
    }

    private static void Section(string title) => Console.WriteLine($"--- {title} ---");
}
