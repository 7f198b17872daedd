// The two hot paths of a ProcessPool, each in a process of its own (bench/suites/pools-hotpaths.sh runs many):
//
//   dotnet ParallelDsl.Benchmarks.HotPaths.dll trip [submits=50000]   the median Submit→result round trip, one at a time
//   dotnet ParallelDsl.Benchmarks.HotPaths.dll map [maps=60]          the mean time of a map of 1,000,000 ints
//
// Each prints one BENCH line. Only API that every revision since the pools were written has is used, so the same
// source builds against an older tree.
using System.Diagnostics;
using System.Globalization;
using ParallelDsl;

MainGuard.Enter(args);
using var pool = new ProcessPool(workers: Environment.ProcessorCount);
TimeSpan patience = TimeSpan.FromMinutes(1);
if (args is ["trip", ..])
{
    int submits = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
    for (int i = 0; i < Math.Max(100, submits / 20); i++)
    {
        HotPathTasks.Check(pool.Submit(HotPathTasks.Twice, i).GetResult(patience), i);
    }

    double[] trips = new double[submits];
    for (int i = 0; i < submits; i++)
    {
        long start = Stopwatch.GetTimestamp();
        int result = pool.Submit(HotPathTasks.Twice, i).GetResult(patience);
        trips[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        HotPathTasks.Check(result, i);
    }

    Array.Sort(trips);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH hot_submit_roundtrip_median {trips[submits / 2]:F2} us"));
    return 0;
}

if (args is ["map", ..])
{
    int maps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
    int[] inputs = [.. Enumerable.Range(0, 1_000_000)];
    pool.Map(HotPathTasks.Twice, inputs);
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < maps; i++)
    {
        int[] results = pool.Map(HotPathTasks.Twice, inputs);
        HotPathTasks.Check(results[^1], inputs[^1]);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH hot_map_1m_ints {Stopwatch.GetElapsedTime(start).TotalMilliseconds / maps:F3} ms"));
    return 0;
}

Console.Error.WriteLine("usage: ParallelDsl.Benchmarks.HotPaths trip [submits] | map [maps]");
return 2;

internal static partial class HotPathTasks
{
    [RunInProcess]
    internal static int Twice(int x) => x * 2;

    internal static void Check(int result, int input)
    {
        if (result != input * 2)
        {
            throw new InvalidOperationException($"Twice({input}) returned {result}.");
        }
    }
}
