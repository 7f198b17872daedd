using ParallelDsl;

namespace ParallelDsl.Tests.Fixtures;

/// <summary>
/// Runs one scenario, chosen by the PROCESS_FIXTURE_MODE environment variable (workers inherit it, and a worker
/// that skips the guard must take the same path as its parent, as a real program would).
/// </summary>
internal static partial class Program
{
#pragma warning disable PDSL0002 // on purpose: the "unguarded" modes run before the guard to show a missing one fails fast
    private static int Main(string[] args)
#pragma warning restore PDSL0002
    {
        string mode = Environment.GetEnvironmentVariable("PROCESS_FIXTURE_MODE") ?? string.Empty;
        try
        {
            switch (mode)
            {
                case "unguarded":
                    return PrintSquare(3);
                case "unguarded-silent":
                    return ConnectTimeout();
            }

            MainGuard.Enter(args);
            return mode switch
            {
                "square" => PrintSquare(int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture)),
                "orphans" => StartSleepersAndWait(),
                "exit-with-children" => ExitWithChildren(),
                "stdin" => ReadStdinInChildThenParent(),
                "throw-after-child" => ThrowAfterChild(),
                "first-contact" => FirstContact(),
                "progress" => MapWithProgressBar(),
                _ => Usage(mode),
            };
        }
        catch (MissingMainGuardException exception)
        {
            Console.Error.WriteLine($"{CurrentProcess.Name} {Environment.ProcessId}: {exception.GetType().Name}: {exception.Message}");

            // Not 2, the code of a worker that skipped the guard: the test tells the parent's exit from the worker's.
            return 70;
        }
    }

    private static int PrintSquare(int n)
    {
        using ProcessHandle<int> square = StartSquare(n);
        Console.WriteLine(square.Join());
        return 0;
    }

    /// <summary>The worker never connects (its Main runs something else for ever): the parent must give up.</summary>
    private static int ConnectTimeout()
    {
        if (Environment.GetEnvironmentVariable("PARALLELDSL_WORKER") is not null)
        {
            Thread.Sleep(Timeout.Infinite);
        }

        ProcessSettings.ConnectTimeout = TimeSpan.FromSeconds(2);
        using ProcessHandle<int> square = StartSquare(3);
        Console.WriteLine($"child {square.Pid}");
        Console.Out.Flush();
        return PrintSquareResult(square);
    }

    private static int PrintSquareResult(ProcessHandle<int> square)
    {
        Console.WriteLine(square.Join());
        return 0;
    }

    /// <summary>Starts a daemon and a non-daemon sleeper, prints their pids and waits to be killed.</summary>
    private static int StartSleepersAndWait()
    {
        ProcessHandle plain = StartSleep();
        ProcessHandle daemon = StartSleep(new ProcessOptions { Daemon = true });
        Console.WriteLine($"children {plain.Pid} {daemon.Pid}");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    /// <summary>Returns from Main with a daemon that would sleep for ever and a non-daemon child still running.</summary>
    private static int ExitWithChildren()
    {
        ProcessHandle daemon = StartSleep(new ProcessOptions { Daemon = true });
        ProcessHandle<string> plain = StartWhoAmI(new ProcessOptions { Name = "joined-at-exit" });
        Console.WriteLine($"children {daemon.Pid} {plain.Pid}");
        Console.Out.Flush();
        return 0;
    }

    /// <summary>The worker reads stdin to its end first; the parent's input must still be there for the parent.</summary>
    private static int ReadStdinInChildThenParent()
    {
        using ProcessHandle<string> child = StartReadStdin();
        Console.WriteLine($"child read '{child.Join()}'");
        Console.WriteLine($"parent read '{Console.In.ReadToEnd()}'");
        return 0;
    }

    /// <summary>Runs a child, then dies of an unhandled exception, as a program with a bug does.</summary>
    private static int ThrowAfterChild()
    {
        using ProcessHandle<int> square = StartSquare(5);
        Console.WriteLine(square.Join());
        throw new InvalidOperationException("the program's own bug");
    }

    [RunInProcess]
    private static int Square(int n) => n * n;

    /// <summary>Announces on stdout that the worker is running its task, then sleeps for ever.</summary>
    [RunInProcess]
    private static void Sleep()
    {
        Console.WriteLine($"sleeping {Environment.ProcessId}");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
    }

    [RunInProcess]
    private static string WhoAmI() => $"{CurrentProcess.Name}|{CurrentProcess.Id}";

    [RunInProcess]
    private static string ReadStdin() => Console.In.ReadToEnd();

    private static int Usage(string mode)
    {
        Console.Error.WriteLine($"Unknown PROCESS_FIXTURE_MODE '{mode}'.");
        return 64;
    }
}
