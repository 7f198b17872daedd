using System.Diagnostics;
using System.Globalization;
using ParallelDsl;

/// <summary>
/// ProcessPool figures, printed as <c>BENCH</c> lines for bench/suites/pools.sh, which puts them next to Python's
/// (bench/python/pools_processes.py): a map of a trivial function over 1,000,000 ints, with <c>Parallel.For</c> as
/// the floor; the Submit→result round trip on a warm pool, one task at a time (back to back, and 1 ms apart, when
/// each task must wake its worker first); a CPU-bound kernel (counting primes
/// in ranges) on every core against the same work done sequentially.
/// </summary>
internal static partial class ProcessPoolBench
{
    /// <summary>
    /// Ranges of growing cost, one task each, the last one largest: with 16 of them the last task alone would cap any
    /// scheduler at about 1.92× on two cores (computed from the work per range); 64 cap it at about 1.98×, so what is
    /// measured is the pool rather than the split.
    /// </summary>
    private const int PrimeRanges = 64;

    public static int Run(bool smoke)
    {
        int items = smoke ? 20_000 : 1_000_000;
        int roundTrips = smoke ? 200 : 5_000;
        int primeLimit = smoke ? 200_000 : 6_000_000;
        int repetitions = smoke ? 1 : 5;
        int workers = Environment.ProcessorCount;
        int[] inputs = [.. Enumerable.Range(0, items)];
        (int From, int To)[] ranges = [.. Enumerable.Range(0, PrimeRanges)
            .Select(i => (primeLimit / PrimeRanges * i, primeLimit / PrimeRanges * (i + 1)))];

        using var pool = new ProcessPool(workers: workers);
        Check(pool.Map(Twice, [0, 1, 2]), 3);

        double map = MedianMilliseconds(repetitions, () => Check(pool.Map(Twice, inputs), items));
        double parallelFor = MedianMilliseconds(repetitions, () =>
        {
            int[] results = new int[items];
            Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = workers }, i => results[i] = Twice(inputs[i]));
            Check(results, items);
        });

        // A warm-up first, as for the maps: the first calls of the path run code the JIT has not optimised yet.
        RoundTrips(pool, roundTrips / 5, pause: TimeSpan.Zero);
        double[] trips = RoundTrips(pool, roundTrips, pause: TimeSpan.Zero);

        // With a pause longer than a worker watches its lane, every task first wakes a sleeping worker.
        double[] tripsAfterPause = RoundTrips(pool, roundTrips / 10, pause: TimeSpan.FromMilliseconds(1));

        long expectedPrimes = ranges.Sum(range => (long)CountPrimes(range.From, range.To));
        double sequential = MedianMilliseconds(repetitions, () => CheckPrimes(ranges.Sum(range => (long)CountPrimes(range.From, range.To)), expectedPrimes));
        double parallel = MedianMilliseconds(repetitions, () => CheckPrimes(pool.StarMap(CountPrimes, ranges, chunkSize: 1).Sum(n => (long)n), expectedPrimes));

        Console.Error.WriteLine($"# ProcessPool: {workers} workers on {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Print("pools_process_map_1m_ints", map, "ms");
        Print("pools_parallel_for_1m_ints", parallelFor, "ms");
        Print("pools_process_submit_roundtrip_median", Median(trips), "us");
        Print("pools_process_submit_roundtrip_after_1ms_pause_median", Median(tripsAfterPause), "us");
        Print("pools_primes_sequential", sequential, "ms");
        Print("pools_primes_process_pool", parallel, "ms");
        Print("pools_primes_speedup", sequential / parallel, "x");
        return 0;
    }

    [RunInProcess]
    internal static int Twice(int x) => x * 2;

    /// <summary>Times <paramref name="count"/> Submit→Result round trips, one at a time, <paramref name="pause"/> apart.</summary>
    private static double[] RoundTrips(ProcessPool pool, int count, TimeSpan pause)
    {
        double[] trips = new double[count];
        for (int i = 0; i < count; i++)
        {
            if (pause > TimeSpan.Zero)
            {
                Thread.Sleep(pause);
            }

            long start = Stopwatch.GetTimestamp();
            int result = pool.Submit(Twice, i).Result;
            trips[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (result != i * 2)
            {
                throw new InvalidOperationException($"Submit({i}) returned {result}.");
            }
        }

        return trips;
    }

    /// <summary>Counts the primes in [from, to) by trial division: pure CPU work.</summary>
    [RunInProcess]
    internal static int CountPrimes(int from, int to)
    {
        int count = 0;
        for (int n = Math.Max(from, 2); n < to; n++)
        {
            bool prime = true;
            for (int d = 2; (long)d * d <= n; d++)
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

    /// <summary>Runs <paramref name="run"/> once to warm up, then <paramref name="repetitions"/> times; the median in milliseconds.</summary>
    internal static double MedianMilliseconds(int repetitions, Action run)
    {
        run();
        double[] times = new double[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return Median(times);
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }

    private static void Check(int[] results, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (results[i] != i * 2)
            {
                throw new InvalidOperationException($"Wrong result at {i}: {results[i]}.");
            }
        }
    }

    private static void CheckPrimes(long actual, long expected)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"Counted {actual} primes, expected {expected}.");
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static void Print(string name, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH {name} {value:0.###} {unit}"));
}
