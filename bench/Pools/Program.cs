using System.Globalization;
using ParallelDsl;

// ThreadPoolExecutor throughput on trivial work, next to its floor (Parallel.For) and to Python's
// concurrent.futures.ThreadPoolExecutor (bench/python/pools_threads.py prints the same table rows).
// Usage: dotnet run -c Release --project bench/Pools -- [items] [repetitions]
//        dotnet run -c Release --project bench/Pools -- processes [--smoke]   (ProcessPool; BENCH lines, see ProcessPoolBench.cs)
//        dotnet run -c Release --project bench/Pools -- lazy [--smoke]        (10,000,000 lazily read items; see LazyMapBench.cs)
// Workers of the process pool are fresh starts of this program: the guard sends them to their tasks.
MainGuard.Enter(args);
if (args is ["processes", ..])
{
    return ProcessPoolBench.Run(smoke: args is [_, "--smoke"]);
}

if (args is ["lazy", ..])
{
    return LazyMapBench.Run(smoke: args is [_, "--smoke"]);
}

int items = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
int repetitions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
int workers = Environment.ProcessorCount;
int[] inputs = [.. Enumerable.Range(0, items)];
int perItemCount = Math.Min(items, 100_000);
int[] perItemInputs = [.. Enumerable.Range(0, perItemCount)];

Console.WriteLine($"# pools: {items:N0} trivial items (x => x * 2), {workers} workers, {Environment.ProcessorCount} cores, median of {repetitions}");
Console.WriteLine();
Console.WriteLine("| what | items | median ms | ns per item |");
Console.WriteLine("|---|---:|---:|---:|");

using (var pool = new ThreadPoolExecutor(maxWorkers: workers))
{
    Report("Parallel.For (floor)", items, () =>
    {
        int[] results = new int[items];
        Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = workers }, i => results[i] = Twice(inputs[i]));
        Check(results, items);
    });
    Report("ThreadPoolExecutor.Map, automatic chunks", items, () => Check(pool.Map(Twice, inputs), items));
    Report("ThreadPoolExecutor.MapUnordered, automatic chunks", items, () => CheckUnordered(pool.MapUnordered(Twice, inputs), items));
    Report("ThreadPoolExecutor.Map, chunkSize 1", perItemCount, () => Check(pool.Map(Twice, perItemInputs, chunkSize: 1), perItemCount));
    Report("ThreadPoolExecutor.Submit per item", perItemCount, () =>
    {
        PoolTask<int>[] futures = [.. perItemInputs.Select(i => pool.Submit(() => Twice(i)))];
        Check([.. futures.Select(future => future.Result)], perItemCount);
    });
}

void Report(string what, int count, Action run)
{
    double median = ProcessPoolBench.MedianMilliseconds(repetitions, run);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| .NET {what} | {count:N0} | {median:F1} | {median * 1e6 / count:F1} |"));
}

return 0;

static int Twice(int x) => x * 2;

static void CheckUnordered(IEnumerable<int> results, int count)
{
    long sum = 0;
    int seen = 0;
    foreach (int result in results)
    {
        sum += result;
        seen++;
    }

    if (seen != count || sum != (long)count * (count - 1))
    {
        throw new InvalidOperationException($"Got {seen} results summing to {sum}.");
    }
}

static void Check(int[] results, int count)
{
    for (int i = 0; i < count; i++)
    {
        if (results[i] != i * 2)
        {
            throw new InvalidOperationException($"Wrong result at {i}: {results[i]}.");
        }
    }
}
