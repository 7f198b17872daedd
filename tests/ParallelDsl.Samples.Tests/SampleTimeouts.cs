namespace ParallelDsl.Samples.Tests;

/// <summary>Safety limits that end a hung sample; none of the assertions depends on them.</summary>
internal static class SampleTimeouts
{
    public static readonly TimeSpan PerSample = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan Tour = TimeSpan.FromMinutes(10);
}
