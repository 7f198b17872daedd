using System.Runtime.CompilerServices;
using ParallelDsl;

namespace ParallelDsl.Tests.Processes;

/// <summary>
/// Ordinary [RunInProcess] methods declared in the test assembly: the generator writes their launchers and dispatch
/// entries, and the tests start them as real children through the worker host.
/// </summary>
internal static partial class ProcessSubjects
{
    [RunInProcess]
    internal static int Square(int n) => n * n;

    [RunInProcess]
    internal static void Throw(string message) => ThrowFromWorker(message);

    /// <summary>Announces on stdout that the worker is running its task, then sleeps for ever.</summary>
    [RunInProcess]
    internal static void Sleep()
    {
        Console.WriteLine($"sleeping {Environment.ProcessId}");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>Creates the file at <paramref name="path"/> to show that the task runs, then sleeps for ever.</summary>
    [RunInProcess]
    internal static void AnnounceThenSleep(string path)
    {
        File.WriteAllText(path, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Thread.Sleep(Timeout.Infinite);
    }

    [RunInProcess]
    internal static void FailFast() => Environment.FailFast("The test method fails fast.");

    [RunInProcess]
    internal static byte[] Echo(byte[] data) => data;

    [RunInProcess]
    internal static string WhoAmI() => $"{CurrentProcess.Name}|{CurrentProcess.Id}|{CurrentProcess.ParentId}|{CurrentProcess.IsWorker}";

    [RunInProcess]
    internal static void Exit(int exitCode) => Environment.Exit(exitCode);

    [RunInProcess]
    internal static int Delay(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return milliseconds;
    }

    [RunInProcess]
    internal static string NestedWhoAmI()
    {
        using ProcessHandle<string> grandchild = StartWhoAmI(new ProcessOptions { Name = "grandchild" });
        return $"{CurrentProcess.Id}>{grandchild.Join()}";
    }

    /// <summary>Finishes only after several awaits that resume on other threads: the worker must wait for the task.</summary>
    [RunInProcess]
    internal static async Task<string> CountSlowlyAsync(int steps)
    {
        var seen = new List<int>();
        for (int step = 1; step <= steps; step++)
        {
            await Task.Delay(20).ConfigureAwait(false);
            seen.Add(step);
        }

        return $"{string.Join(",", seen)} in {CurrentProcess.Name}";
    }

    [RunInProcess]
    internal static async Task FailAfterAwaitAsync(string message)
    {
        await Task.Delay(20).ConfigureAwait(false);
        ThrowFromWorker(message);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFromWorker(string message) => throw new InvalidOperationException(message);
}
