using System.Diagnostics;
using ParallelDsl;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>What a <see cref="PoolProcessMethods.Step"/> task does in its worker before it answers.</summary>
public enum StepAction
{
    Answer,
    KillWithSigkill,
    FailFast,
    OverflowStack,
    Throw,
}

/// <summary>One task of the real-process pool tests: where to log, which value, how long to sleep, what to do.</summary>
public sealed record Probe(string Log, int Value, int SleepMilliseconds = 0, StepAction Action = StepAction.Answer);

/// <summary>
/// <c>[RunInProcess]</c> methods the real-process pool tests pass by name, so the generated interceptors bind them.
/// Tasks leave evidence in log files, since a worker process cannot touch the test's memory.
/// </summary>
public static partial class PoolProcessMethods
{
    /// <summary>Where <see cref="Setup"/> appends the pid of each worker it runs in; inherited by the workers.</summary>
    public const string InitializerLogVariable = "PARALLELDSL_TEST_POOL_INIT_LOG";

    [RunInProcess]
    public static int Square(int n) => n * n;

    [RunInProcess]
    public static int WorkerPid(int value) => Environment.ProcessId;

    [RunInProcess]
    public static long Add(int a, long b) => a + b;

    /// <summary>Returns the bytes in reverse order: a result as large as the argument, and different from it.</summary>
    [RunInProcess]
    public static byte[] Reverse(byte[] data) => [.. data.AsEnumerable().Reverse()];

    /// <summary>A result of <paramref name="length"/> bytes (byte i is i mod 251) for an argument of four bytes.</summary>
    [RunInProcess]
    public static byte[] Filled(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i % 251))];

    /// <summary>Kills its worker with SIGKILL the first time (when <paramref name="marker"/> does not exist yet); then returns the pid.</summary>
    [RunInProcess]
    public static int KillOnce(string marker)
    {
        if (!File.Exists(marker))
        {
            File.WriteAllText(marker, $"{Environment.ProcessId}");
            Process.GetCurrentProcess().Kill();
            Thread.Sleep(Timeout.Infinite);
        }

        return Environment.ProcessId;
    }

    /// <summary>Sleeps, does what the probe says, then logs "value pid" and returns the value's square.</summary>
    [RunInProcess]
    public static int Step(Probe probe)
    {
        Thread.Sleep(probe.SleepMilliseconds);
        switch (probe.Action)
        {
            case StepAction.KillWithSigkill:
                Process.GetCurrentProcess().Kill();
                Thread.Sleep(Timeout.Infinite);
                break;
            case StepAction.FailFast:
                Environment.FailFast("a pool test task crashes its worker on purpose");
                break;
            case StepAction.OverflowStack:
                return Recurse(probe.Value);
            case StepAction.Throw:
                throw new InvalidDataException($"bad value {probe.Value}");
        }

        ProcessLog.Append(probe.Log, $"{probe.Value} {Environment.ProcessId}");
        return probe.Value * probe.Value;
    }

    /// <summary>Recurses until the stack overflows, which ends the process (no exception can be caught).</summary>
    private static int Recurse(int depth) => Recurse(depth + 1) + 1;

    /// <summary>The pool initializer: appends this worker's pid to the log named by <see cref="InitializerLogVariable"/>.</summary>
    [RunInProcess]
    public static void Setup()
    {
        string log = Environment.GetEnvironmentVariable(InitializerLogVariable)
            ?? throw new InvalidOperationException($"{InitializerLogVariable} is not set in the worker.");
        ProcessLog.Append(log, $"{Environment.ProcessId}");
    }
}
