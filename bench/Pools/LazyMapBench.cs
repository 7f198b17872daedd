using System.Diagnostics;
using System.Globalization;
using ParallelDsl;

/// <summary>
/// A map of 10,000,000 ints generated lazily, through <c>MapUnordered</c> on a pool with <c>maxActiveTasks</c>: its time
/// and the process's peak resident memory (VmHWM) at the end, as BENCH lines next to Python's <c>Pool.imap</c> with a
/// chunksize (bench/python/pools_lazy.py). Runs in a process of its own (<c>lazy</c> mode), since VmHWM is the
/// whole process's.
/// </summary>
internal static partial class LazyMapBench
{
    public static int Run(bool smoke)
    {
        int items = smoke ? 200_000 : 10_000_000;
        using var pool = new ProcessPool(workers: Environment.ProcessorCount, maxActiveTasks: 10_000);
        Sum(pool, 10_000);

        long start = Stopwatch.GetTimestamp();
        long sum = Sum(pool, items);
        double milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (sum != (long)items * (items - 1))
        {
            throw new InvalidOperationException($"The lazy map summed to {sum}.");
        }

        Console.Error.WriteLine($"# lazy map: {items:N0} items, maxActiveTasks 10,000, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH pools_lazy_map_10m_ints {milliseconds:0.###} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH pools_lazy_map_10m_peak_rss {PeakMiB():0.#} MiB"));
        return 0;
    }

    [RunInProcess]
    internal static int Twice(int x) => x * 2;

    private static long Sum(ProcessPool pool, int count)
    {
        long sum = 0;
        foreach (int result in pool.MapUnordered(Twice, Generate(count)))
        {
            sum += result;
        }

        return sum;
    }

    private static IEnumerable<int> Generate(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return i;
        }
    }

    private static double PeakMiB() =>
        double.Parse(
            File.ReadLines("/proc/self/status").Single(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            CultureInfo.InvariantCulture) / 1024;
}
