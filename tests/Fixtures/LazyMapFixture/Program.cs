using System.Diagnostics;
using System.Globalization;
using ParallelDsl;

namespace ParallelDsl.Tests.LazyMaps;

/// <summary>
/// <c>LazyMapFixture &lt;unordered|ordered&gt; &lt;items&gt; &lt;maxActiveTasks&gt;</c>: maps <c>x * 2</c> over a
/// generated sequence of that many ints on a two-worker <see cref="ProcessPool"/> (0 reads the input at once, as
/// without the option) and prints how much the process's peak resident memory grew over a warm-up map, and how long
/// the map took. Exit code 0 only when every result was right.
/// </summary>
internal static partial class Program
{
    private static int Main(string[] args)
    {
        MainGuard.Enter(args);
        bool ordered = args[0] == "ordered";
        int count = int.Parse(args[1], CultureInfo.InvariantCulture);
        int maxActive = int.Parse(args[2], CultureInfo.InvariantCulture);
        using var pool = new ProcessPool(workers: 2, maxActiveTasks: maxActive);

        // The pool, the JIT and the first windows reach their steady state on a small map first.
        Run(pool, ordered, 100_000);
        long before = PeakKib();
        long start = Stopwatch.GetTimestamp();
        Run(pool, ordered, count);
        double milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        long after = PeakKib();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak_kib {after} growth_kib {after - before} time_ms {milliseconds:F0}"));
        return 0;
    }

    [RunInProcess]
    internal static int Twice(int x) => x * 2;

    private static IEnumerable<int> Items(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return i;
        }
    }

    private static void Run(ProcessPool pool, bool ordered, int count)
    {
        long sum = 0;
        long seen = 0;
        if (ordered)
        {
            int[] results = pool.Map(Twice, Items(count));
            for (int i = 0; i < results.Length; i++)
            {
                if (results[i] != i * 2)
                {
                    throw new InvalidOperationException($"Map put {results[i]} at index {i}.");
                }
            }

            seen = results.Length;
            sum = (long)count * (count - 1);
        }
        else
        {
            foreach (int result in pool.MapUnordered(Twice, Items(count)))
            {
                sum += result;
                seen++;
            }
        }

        if (seen != count || sum != (long)count * (count - 1))
        {
            throw new InvalidOperationException($"{seen} results summing to {sum}, for {count} items.");
        }
    }

    /// <summary>The process's peak resident memory so far (VmHWM), in KiB.</summary>
    private static long PeakKib() =>
        long.Parse(
            File.ReadLines("/proc/self/status").Single(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            CultureInfo.InvariantCulture);
}
