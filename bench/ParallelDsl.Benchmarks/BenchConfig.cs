using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace ParallelDsl.Benchmarks;

/// <summary>How the suites run BenchmarkDotNet: in this process (no generated project to build), short or smoke.</summary>
internal static class BenchConfig
{
    /// <summary>Runs the benchmarks of <typeparamref name="T"/>; <paramref name="iterations"/> measured iterations, one when smoking.</summary>
    public static Summary Run<T>(bool smoke, int iterations)
    {
        Job job = smoke
            ? Job.Dry
            : Job.Default.WithWarmupCount(3).WithIterationCount(iterations);
        IConfig config = DefaultConfig.Instance
            .AddJob(job.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableLogFile);
        Summary summary = BenchmarkRunner.Run<T>(config);
        if (summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success))
        {
            throw new InvalidOperationException($"benchmarks of {typeof(T).Name} failed; see the log above");
        }

        return summary;
    }

    /// <summary>The median time of one call of <paramref name="method"/>, in nanoseconds.</summary>
    public static double MedianNanoseconds(Summary summary, string method) =>
        summary.Reports.Single(report => report.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).ResultStatistics!.Median;
}
