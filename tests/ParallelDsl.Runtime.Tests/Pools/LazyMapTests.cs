using ParallelDsl;
using ParallelDsl.Tests.Processes;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// <c>maxActiveTasks</c>: a map reads its input lazily, as tasks end, with at most that many tasks read and not yet
/// handed back; an endless input stops cleanly when the caller stops; an asynchronous input is always read so.
/// </summary>
public sealed partial class LazyMapTests : WorkerProcessTest
{
    [RunInProcess]
    internal static int Triple(int n) => n == -1 ? throw new InvalidOperationException("minus one") : n * 3;

    [RunInProcess]
    internal static int WorkerId(int n) => Environment.ProcessId;

    [Fact]
    public void MapUnordered_over_an_endless_input_stops_with_Take_and_reads_no_more_than_the_bound_past_it()
    {
        const int Bound = 1_000;
        var source = new CountingSource();
        using var pool = new ProcessPool(workers: 2, maxActiveTasks: Bound);

        int[] taken = [.. pool.MapUnordered(Triple, source.Endless(), timeout: Safety).Take(5_000)];

        Assert.Equal(5_000, taken.Distinct().Count());
        Assert.All(taken, value => Assert.True(value % 3 == 0 && value / 3 < source.Pulled, $"{value} is no result of a pulled item"));
        Assert.InRange(source.Pulled, 5_000, 5_000 + Bound);
        Assert.True(source.Disposed, "the input's enumerator was not disposed");
        int[] pids = pool.Map(WorkerId, Enumerable.Range(0, 8), chunkSize: 1, timeout: Safety);
        AssertGoneAfterDispose(pool, pids);
    }

    [Fact]
    public void Map_reads_lazily_keeps_input_order_and_reports_failures_by_their_index_in_the_whole_input()
    {
        using var pool = new ProcessPool(workers: 2, maxActiveTasks: 64);
        var source = new CountingSource();

        AggregateException failed = Assert.Throws<AggregateException>(() =>
            pool.Map(Triple, source.Range(2_000).Select(n => n is 700 or 1_900 ? -1 : n), timeout: Safety));

        Assert.Equal([700, 1_900], failed.InnerExceptions.Cast<PoolTaskException>().Select(error => error.InputIndex));
        Assert.Contains("2 of 2000 tasks failed", failed.Message, StringComparison.Ordinal);
        int[] results = pool.Map(Triple, source.Range(3_000), timeout: Safety);
        Assert.Equal(Enumerable.Range(0, 3_000).Select(n => n * 3), results);
    }

    [Fact]
    public void A_thread_pool_map_never_holds_more_than_the_bound_read_and_unfinished()
    {
        const int Bound = 50;
        int finished = 0;
        int mostAhead = 0;
        IEnumerable<int> Items()
        {
            for (int i = 0; i < 5_000; i++)
            {
                mostAhead = Math.Max(mostAhead, i - Volatile.Read(ref finished));
                yield return i;
            }
        }

        using var pool = new ThreadPoolExecutor(maxWorkers: 4, maxActiveTasks: Bound);
        int[] results = pool.Map(n => { Interlocked.Increment(ref finished); return n + 1; }, Items(), timeout: Safety);

        Assert.Equal(Enumerable.Range(1, 5_000), results);
        Assert.InRange(mostAhead, 1, Bound);
    }

    [Fact]
    public async Task MapUnorderedAsync_reads_an_asynchronous_input_lazily_and_stopping_disposes_it()
    {
        var source = new CountingSource();
        using var pool = new ProcessPool(workers: 2, maxActiveTasks: 200);
        var seen = new HashSet<int>();

        await foreach (int value in pool.MapUnorderedAsync(Triple, source.EndlessAsync(), timeout: Safety))
        {
            seen.Add(value);
            if (seen.Count == 1_000)
            {
                break;
            }
        }

        Assert.Equal(1_000, seen.Count);
        Assert.InRange(source.Pulled, 1_000, 1_200);
        Assert.True(source.Disposed, "the input's enumerator was not disposed");
        int[] ordered = await pool.MapAsync(Triple, source.RangeAsync(500), timeout: Safety);
        Assert.Equal(Enumerable.Range(0, 500).Select(n => n * 3), ordered);
    }

    [Fact]
    public void A_negative_bound_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPool(workers: 1, maxActiveTasks: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadPoolExecutor(maxWorkers: 1, maxActiveTasks: -1));
    }

    /// <summary>Inputs that count the items pulled from them and notice their enumerator being disposed.</summary>
    private sealed class CountingSource
    {
        private int _pulled;

        public int Pulled => Volatile.Read(ref _pulled);

        public bool Disposed { get; private set; }

        public IEnumerable<int> Endless()
        {
            try
            {
                for (int i = 0; ; i++)
                {
                    Interlocked.Increment(ref _pulled);
                    yield return i;
                }
            }
            finally
            {
                Disposed = true;
            }
        }

        public IEnumerable<int> Range(int count)
        {
            for (int i = 0; i < count; i++)
            {
                yield return i;
            }
        }

        public async IAsyncEnumerable<int> EndlessAsync()
        {
            try
            {
                for (int i = 0; ; i++)
                {
                    if (i % 100 == 0)
                    {
                        await Task.Yield();
                    }

                    Interlocked.Increment(ref _pulled);
                    yield return i;
                }
            }
            finally
            {
                Disposed = true;
            }
        }

        public async IAsyncEnumerable<int> RangeAsync(int count)
        {
            for (int i = 0; i < count; i++)
            {
                await Task.Yield();
                yield return i;
            }
        }
    }
}
