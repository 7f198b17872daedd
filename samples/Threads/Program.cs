// The classic Python threading examples, ported to ParallelDsl: each [RunInThread] method gets a generated
// Start{Method} launcher that starts a thread and returns a handle to join.
using System;
using System.Collections.Generic;
using System.Threading;
using ParallelDsl;

namespace ParallelDsl.Samples.Threads;

internal static partial class Program
{
    private static readonly object CounterLock = new();
    private static int s_counter;
    private static int s_running;
    private static int s_peak;

    public static void Main()
    {
        Section("three workers, started then joined");
        var workers = new List<ThreadHandle>();
        for (int i = 0; i < 3; i++)
        {
            workers.Add(StartWorker(i));
        }

        foreach (ThreadHandle worker in workers)
        {
            worker.Join();
        }

        Console.WriteLine("all done");

        Section("a worker with an argument");
        StartTalkativeWorker(3).Join();

        Section("a shared counter under a lock");
        var incrementers = new List<ThreadHandle>();
        for (int i = 0; i < 3; i++)
        {
            incrementers.Add(StartIncrement(100_000));
        }

        incrementers.ForEach(handle => handle.Join());
        Console.WriteLine($"counter = {s_counter}");

        Section("daemon threads");
        ThreadHandle daemon = StartHeartbeat();
        Console.WriteLine($"daemon thread '{daemon.Name}' is a background thread: {daemon.IsDaemon}");
        Console.WriteLine("main ends without joining it; the daemon does not keep the program alive");

        Section("at most two at once (MaxConcurrency = 2)");
        var limited = new List<ThreadHandle>();
        for (int i = 0; i < 5; i++)
        {
            limited.Add(StartLimited(i));
        }

        limited.ForEach(handle => handle.Join());
        Console.WriteLine($"peak concurrency = {s_peak}");
    }

    /// <summary>Python: <c>threading.Thread(target=worker)</c> in a loop.</summary>
    [RunInThread]
    private static void Worker(int number) => Console.WriteLine($"worker {number} ran on {Thread.CurrentThread.Name}");

    [RunInThread]
    private static void TalkativeWorker(int number)
    {
        Console.WriteLine($"worker {number} started");
        Thread.Sleep(50);
        Console.WriteLine($"worker {number} finished");
    }

    [RunInThread]
    private static void Increment(int times)
    {
        for (int i = 0; i < times; i++)
        {
            lock (CounterLock)
            {
                s_counter++;
            }
        }
    }

    [RunInThread(Daemon = true, Name = "heartbeat")]
    private static void Heartbeat()
    {
        while (true)
        {
            Thread.Sleep(1000);
        }
    }

    [RunInThread(MaxConcurrency = 2)]
    private static void Limited(int task)
    {
        int now = Interlocked.Increment(ref s_running);
        InterlockedMax(ref s_peak, now);
        Console.WriteLine($"task {task} started ({now} running)");
        Thread.Sleep(100);
        Interlocked.Decrement(ref s_running);
        Console.WriteLine($"task {task} finished");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value > seen)
        {
            int previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private static void Section(string title) => Console.WriteLine($"\n-- {title} --");
}
