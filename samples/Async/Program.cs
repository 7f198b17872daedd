// The classic Python asyncio examples, ported to C#'s own async/await with ParallelDsl handles: thread and process
// handles are awaitable, combine with Task.WhenAll / Task.WhenAny, and a timeout can end a child process.
// docs/async.md maps each asyncio idiom.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ParallelDsl;

namespace ParallelDsl.Samples.Async;

internal static partial class Program
{
    private static int s_running;
    private static int s_peak;

    public static async Task<int> Main(string[] args)
    {
        // A child process starts this program again: the guard runs its task and exits before the rest of Main.
        MainGuard.Enter(args);

        Section("gather: three coroutines at once");
        await Task.WhenAll(Count(), Count(), Count());

        Section("gather of child processes: Task.WhenAll over their handles");
        ProcessHandle<int>[] squares = [.. Enumerable.Range(1, 4).Select(n => StartSquare(n))];
        try
        {
            int[] results = await Task.WhenAll(squares.Select(square => square.JoinAsync()));
            Console.WriteLine($"[{string.Join(", ", results)}]");
        }
        finally
        {
            Array.ForEach(squares, square => square.Dispose());
        }

        Section("gather of async methods on their own threads");
        string[] pages = await Task.WhenAll(StartFetch("a", 60).JoinAsync(), StartFetch("b", 20).JoinAsync(), StartFetch("c", 40).JoinAsync());
        Console.WriteLine($"pages in the order asked for: {string.Join(", ", pages)}");

        Section("wait_for: a timeout that kills the child");
        using (ProcessHandle<int> quick = StartSquare(3))
        {
            Console.WriteLine($"in time: {await quick.JoinAsync().WaitAsync(TimeSpan.FromSeconds(60))}");
        }

        using (ProcessHandle eternity = StartEternity())
        {
            try
            {
                await eternity.JoinAsync().WaitAsync(TimeSpan.FromMilliseconds(500));
            }
            catch (TimeoutException)
            {
                eternity.Kill();
                await eternity.JoinAsync();
                Console.WriteLine($"timeout! the child was killed: exit code {eternity.ExitCode}, alive: {eternity.IsAlive}");
            }
        }

        Section("Semaphore(2): at most two at once (MaxConcurrency on an async method)");
        ThreadHandle[] limited = [.. Enumerable.Range(0, 5).Select(StartLimited)];
        await Task.WhenAll(limited.Select(handle => handle.JoinAsync()));
        Console.WriteLine($"peak concurrency = {s_peak}");

        Section("error handling: an exception in a task reaches await");
        try
        {
            await StartParsePort("eighty");
        }
        catch (FormatException error)
        {
            Console.WriteLine($"caught FormatException: {error.Message}");
        }

        using (ProcessHandle<int> good = StartCheck(1))
        using (ProcessHandle<int> bad = StartCheck(-1))
        {
            try
            {
                await Task.WhenAll(good.JoinAsync(), bad.JoinAsync());
            }
            catch (RemoteException error)
            {
                Console.WriteLine($"gather raised {error.RemoteTypeName} from child '{error.ProcessName}': {error.RemoteMessage}");
            }
        }

        Section("gather(return_exceptions=True): every outcome, one by one");
        ProcessHandle<int>[] checks = [.. new[] { 2, -2, 3 }.Select(n => StartCheck(n))];
        try
        {
            foreach (ProcessHandle<int> check in checks)
            {
                try
                {
                    Console.WriteLine($"{check.Name}: {await check}");
                }
                catch (RemoteException error)
                {
                    Console.WriteLine($"{check.Name}: failed with {error.RemoteTypeName}");
                }
            }
        }
        finally
        {
            Array.ForEach(checks, check => check.Dispose());
        }

        Section("as_completed: results as they come (Task.WhenAny)");
        List<Task<string>> pending = [StartFetch("slow", 300).JoinAsync(), StartFetch("fast", 10).JoinAsync(), StartFetch("medium", 150).JoinAsync()];
        while (pending.Count > 0)
        {
            Task<string> done = await Task.WhenAny(pending);
            pending.Remove(done);
            Console.WriteLine($"done: {await done}");
        }

        return 0;
    }

    /// <summary>Python: <c>async def count(): print("One"); await asyncio.sleep(1); print("Two")</c>.</summary>
    private static async Task Count()
    {
        Console.WriteLine("One");
        await Task.Delay(200);
        Console.WriteLine("Two");
    }

    [RunInProcess]
    private static int Square(int n) => n * n;

    /// <summary>Python: <c>async def eternity(): await asyncio.sleep(3600)</c>, in a child process.</summary>
    [RunInProcess]
    private static void Eternity() => Thread.Sleep(Timeout.Infinite);

    [RunInProcess]
    private static int Check(int n) => n >= 0 ? n : throw new ArgumentOutOfRangeException(nameof(n), "a negative input");

    /// <summary>An I/O-bound coroutine: it waits, then answers; on a thread of its own, awaited there.</summary>
    [RunInThread]
    private static async Task<string> Fetch(string page, int milliseconds)
    {
        await Task.Delay(milliseconds);
        return page;
    }

    [RunInThread(MaxConcurrency = 2)]
    private static async Task Limited(int worker)
    {
        int now = Interlocked.Increment(ref s_running);
        InterlockedMax(ref s_peak, now);
        Console.WriteLine($"worker {worker} started ({now} running)");
        await Task.Delay(100);
        Interlocked.Decrement(ref s_running);
        Console.WriteLine($"worker {worker} finished");
    }

    [RunInThread]
    private static async Task<int> ParsePort(string text)
    {
        await Task.Yield();
        return int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
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
