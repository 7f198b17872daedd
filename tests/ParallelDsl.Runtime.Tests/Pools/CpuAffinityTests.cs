using ParallelDsl;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary><c>cpuAffinity</c>: each worker process runs on the CPUs it was given, as it sees them itself.</summary>
public sealed partial class CpuAffinityTests : WorkerProcessTest
{
    /// <summary>The worker's pid and the CPUs the thread running the task may use, as the kernel reports them.</summary>
    [RunInProcess]
    internal static string Affinity(int sleepMilliseconds)
    {
        Thread.Sleep(sleepMilliseconds);
        string allowed = File.ReadLines("/proc/thread-self/status").Single(line => line.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
        return $"{Environment.ProcessId} {allowed.Split(':')[1].Trim()}";
    }

    [Fact]
    public void One_set_pins_every_worker_and_its_replacements()
    {
        int cpu = LibC.GetAffinity(0)[^1];
        using var pool = new ProcessPool(workers: 2, maxTasksPerWorker: 3, cpuAffinity: [[cpu]]);

        string[] seen = pool.Map(Affinity, Enumerable.Range(0, 12).Select(_ => 5), chunkSize: 1, timeout: Safety);

        Assert.All(seen, line => Assert.EndsWith($" {cpu}", line, StringComparison.Ordinal));
        int[] pids = [.. seen.Select(line => int.Parse(line.Split(' ')[0])).Distinct()];
        Assert.True(pids.Length > 2, "maxTasksPerWorker should have replaced the workers");
        AssertGoneAfterDispose(pool, pids);
    }

    [Fact]
    public void One_set_per_worker_pins_each_worker_to_its_own()
    {
        int[] allowed = LibC.GetAffinity(0);
        string first = $"{allowed[0]}";
        string last = $"{allowed[^1]}";
        using var pool = new ProcessPool(workers: 2, cpuAffinity: [[allowed[0]], [allowed[^1]]]);

        string[] seen = pool.Map(Affinity, Enumerable.Range(0, 16).Select(_ => 20), chunkSize: 1, timeout: Safety);

        Dictionary<int, string[]> byWorker = seen
            .Select(line => line.Split(' '))
            .GroupBy(parts => int.Parse(parts[0]))
            .ToDictionary(group => group.Key, group => group.Select(parts => parts[1]).Distinct().ToArray());
        Assert.Equal(2, byWorker.Count);
        Assert.All(byWorker.Values, sets => Assert.Single(sets));
        Assert.Equal(new[] { first, last }.Order(), byWorker.Values.Select(sets => sets[0]).Order());
        AssertGoneAfterDispose(pool, byWorker.Keys);
    }

    [Theory]
    [InlineData(new[] { 4095 }, "CPU 4095")]
    [InlineData(new[] { -1 }, "CPU -1")]
    [InlineData(new int[0], "empty")]
    public void A_set_naming_no_usable_CPU_is_an_ArgumentException(int[] set, string expected)
    {
        ArgumentException refused = Assert.Throws<ArgumentException>(() => new ProcessPool(workers: 1, cpuAffinity: [set]));

        Assert.Equal("cpuAffinity", refused.ParamName);
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_number_of_sets_other_than_one_or_one_per_worker_is_an_ArgumentException()
    {
        ArgumentException refused = Assert.Throws<ArgumentException>(() => new ProcessPool(workers: 3, cpuAffinity: [[0], [0]]));

        Assert.Contains("2 CPU sets for 3 workers", refused.Message, StringComparison.Ordinal);
    }
}
