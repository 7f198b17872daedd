using System.Globalization;
using ParallelDsl;

namespace ParallelDsl.Tests.Fixtures;

/// <summary>
/// The tasks of the cluster tests. This file is compiled into the worker program and into the tests (the client),
/// as one program's source is on every machine of a cluster: the methods get the same ids on both sides.
/// </summary>
public static partial class ClusterTasks
{
    [RunInProcess]
    public static int Double(int x) => x * 2;

    [RunInProcess]
    public static int Fail(int x) => throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"task {x} refused"));

    /// <summary>
    /// Sleeps, then doubles; first appends "milliseconds pid" to the file named by CLUSTER_FIXTURE_LOG (set on the worker
    /// program, inherited by its processes), so a test sees which worker started it and when.
    /// </summary>
    [RunInProcess]
    public static int SlowDouble(int milliseconds)
    {
        Log(milliseconds.ToString(CultureInfo.InvariantCulture));
        Thread.Sleep(milliseconds);
        return milliseconds * 2;
    }

    /// <summary>
    /// The parcel's weight; first logs "weigh pid" as <see cref="SlowDouble"/> does. <see cref="Parcel"/> is not shared
    /// source: the worker program and the tests each declare their own, the tests' with one more member, so this method
    /// has the same id in both builds and a different codec shape.
    /// </summary>
    [RunInProcess]
    public static int Weigh(Parcel parcel)
    {
        Log("weigh");
        return parcel.Grams;
    }

    /// <summary>Kills the local worker process that runs it, every time: a poison task.</summary>
    [RunInProcess]
    public static int Poison(int x)
    {
        Environment.FailFast(string.Create(CultureInfo.InvariantCulture, $"poison task {x}"));
        return x;
    }

    /// <summary>Appends the line and this process's pid to the file named by CLUSTER_FIXTURE_LOG, when it is set.</summary>
    private static void Log(string line)
    {
        if (Environment.GetEnvironmentVariable("CLUSTER_FIXTURE_LOG") is { Length: > 0 } log)
        {
            File.AppendAllText(log, string.Create(CultureInfo.InvariantCulture, $"{line} {Environment.ProcessId}\n"));
        }
    }

    /// <summary>Counts prime numbers below <paramref name="limit"/> the slow way: CPU work for the scaling figures.</summary>
    [RunInProcess]
    public static int CountPrimes(int limit)
    {
        int count = 0;
        for (int n = 2; n < limit; n++)
        {
            bool prime = true;
            for (int d = 2; d * d <= n; d++)
            {
                if (n % d == 0)
                {
                    prime = false;
                    break;
                }
            }

            count += prime ? 1 : 0;
        }

        return count;
    }
}
