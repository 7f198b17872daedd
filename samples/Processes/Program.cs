// The classic Python multiprocessing examples, ported to ParallelDsl: each [RunInProcess] method gets a generated
// Start{Method} launcher that starts a child process (a fresh start of this program) and returns a handle to join.
using System;
using System.Collections.Generic;
using System.Threading;
using ParallelDsl;

namespace ParallelDsl.Samples.Processes;

internal static partial class Program
{
    /// <summary>Python: a module-level <c>counter = 42</c>. Every child starts with its own copy.</summary>
    private static int s_counter = 42;

    public static int Main(string[] args)
    {
        // A child process starts this program again: the guard runs its task and exits before the rest of Main.
        MainGuard.Enter(args);

        Section("one process with an argument, joined");
        using (ProcessHandle worker = StartTalkativeWorker(3))
        {
            worker.Join();
        }

        Section("four processes started, then joined");
        var workers = new List<ProcessHandle>();
        for (int i = 0; i < 4; i++)
        {
            workers.Add(StartWorker(i));
        }

        workers.ForEach(worker => worker.Join());
        workers.ForEach(worker => worker.Dispose());
        Console.WriteLine("all done");

        Section("current process name and pid");
        Console.WriteLine($"parent: {CurrentProcess.Name} (pid {CurrentProcess.Id})");
        using (ProcessHandle child = StartDescribeMe(new ProcessOptions { Name = "SubProcess" }))
        {
            child.Join();
        }

        Section("a global counter: each child changes its own copy");
        using (ProcessHandle first = StartIncrementCounter())
        using (ProcessHandle second = StartIncrementCounter())
        {
            first.Join();
            second.Join();
        }

        Console.WriteLine($"counter in the parent after both children: {s_counter}");

        Section("is_alive of a looping child");
        Console.WriteLine("before start: there is no handle to ask, StartSpin() creates and starts the child in one call");
        using (ProcessHandle spinner = StartSpin())
        {
            Console.WriteLine($"running: IsAlive = {spinner.IsAlive}");
            spinner.Kill();
            spinner.Join();                   // as Python's join(): returns; ExitCode and Exception tell how it ended
            if (spinner.Exception is ProcessTerminatedException terminated)
            {
                Console.WriteLine($"joined: the child was ended by signal {terminated.Signal}");
            }

            Console.WriteLine($"after Kill and Join: IsAlive = {spinner.IsAlive}, ExitCode = {spinner.ExitCode}");
        }

        Section("a write in a child stays in the child");
        var box = new Box();
        using (ProcessHandle filler = StartFill(box))
        {
            filler.Join();
        }

        Console.WriteLine($"in the parent: box.Value = {box.Value ?? "(unset)"}");
        Console.WriteLine("the child got a copy of the box (arguments are encoded and decoded), not the parent's object;");
        Console.WriteLine("return a result, or use [SharedValue] / Shared<T>, to bring a value back");

        Section("a daemon child is killed when the parent ends");
        ProcessHandle daemon = StartSpin(new ProcessOptions { Name = "daemon", Daemon = true });
        Console.WriteLine($"daemon child '{daemon.Name}' (pid {daemon.Pid}) is alive: {daemon.IsAlive}");
        Console.WriteLine("main ends without joining it: the runtime kills daemon children when the parent exits");
        return 0;
    }

    /// <summary>Python: <c>Process(target=worker, args=(3,))</c>.</summary>
    [RunInProcess]
    private static void TalkativeWorker(int number)
    {
        Console.WriteLine($"worker {number} started");
        Thread.Sleep(50);
        Console.WriteLine($"worker {number} finished");
    }

    [RunInProcess]
    private static void Worker(int number) => Console.WriteLine($"worker {number} ran in {CurrentProcess.Name} (pid {CurrentProcess.Id})");

    /// <summary>Python: <c>multiprocessing.current_process().name</c> and <c>os.getpid()</c>.</summary>
    [RunInProcess]
    private static void DescribeMe() =>
        Console.WriteLine($"child: {CurrentProcess.Name} (pid {CurrentProcess.Id}, parent pid {CurrentProcess.ParentId})");

#pragma warning disable PDSL0004 // shown on purpose: the write lands in the child's copy of the counter, the parent keeps 42
    [RunInProcess]
    private static void IncrementCounter()
    {
        s_counter++;
        Console.WriteLine($"counter in {CurrentProcess.Name}: {s_counter}");
    }

    [RunInProcess]
    private static void Fill(Box box)
    {
        box.Value = "set in the child";
        Console.WriteLine($"in the child: box.Value = {box.Value}");
    }
#pragma warning restore PDSL0004

    [RunInProcess]
    private static void Spin()
    {
        while (true)
        {
            Thread.Sleep(100);
        }
    }

    private static void Section(string title) => Console.WriteLine($"\n-- {title} --");
}

/// <summary>An ordinary class: it crosses to a child as a copy of its properties.</summary>
internal sealed class Box
{
    public string? Value { get; set; }
}
