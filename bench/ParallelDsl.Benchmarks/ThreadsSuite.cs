using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Reports;

namespace ParallelDsl.Benchmarks;

/// <summary>
/// Starting and joining a <c>[RunInThread]</c> method through its generated launcher, against the same work written
/// by hand with <c>new Thread</c>/<c>Join</c> (a named thread, as the launcher gives). The goal: the launcher costs at
/// most 5 % more. The unnamed thread shows what naming itself costs.
/// </summary>
internal static class ThreadsSuite
{
    public static IReadOnlyList<BenchFigure> Run(bool smoke)
    {
        Summary summary = BenchConfig.Run<ThreadStartJoinBenchmarks>(smoke, iterations: 20);
        double generated = BenchConfig.MedianNanoseconds(summary, nameof(ThreadStartJoinBenchmarks.GeneratedLauncher));
        double handWritten = BenchConfig.MedianNanoseconds(summary, nameof(ThreadStartJoinBenchmarks.HandWrittenNamedThread));
        double unnamed = BenchConfig.MedianNanoseconds(summary, nameof(ThreadStartJoinBenchmarks.HandWrittenUnnamedThread));
        return
        [
            new("threads_handwritten_start_join", handWritten / 1000, "us"),
            new("threads_generated_start_join", generated / 1000, "us"),
            new("threads_start_join_ratio", generated / handWritten, "x"),
            new("threads_unnamed_handwritten_start_join", unnamed / 1000, "us"),
            new("threads_vs_unnamed_thread_ratio", generated / unnamed, "x"),
        ];
    }
}

/// <summary>The benchmarks of <see cref="ThreadsSuite"/>.</summary>
public partial class ThreadStartJoinBenchmarks
{
    private static int s_calls;

    private static int s_names;

    /// <summary>What the launcher does, written by hand: a thread named after its method, started and joined.</summary>
    [Benchmark(Baseline = true)]
    public void HandWrittenNamedThread()
    {
        var thread = new Thread(Work) { Name = $"Work-{Interlocked.Increment(ref s_names)}" };
        thread.Start();
        thread.Join();
    }

    /// <summary>The least a thread can cost: no name, no result, no exception capture.</summary>
    [Benchmark]
    public void HandWrittenUnnamedThread()
    {
        var thread = new Thread(Work);
        thread.Start();
        thread.Join();
    }

    [Benchmark]
    public void GeneratedLauncher() => StartWork().Join();

    [RunInThread]
    private static void Work() => Interlocked.Increment(ref s_calls);
}
