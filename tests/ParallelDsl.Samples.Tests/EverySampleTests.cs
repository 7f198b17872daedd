using ParallelDsl.Samples.Tour;
using static ParallelDsl.Samples.Tests.SampleLines;

namespace ParallelDsl.Samples.Tests;

/// <summary>What every ported sample shows the same way, threads or processes.</summary>
public sealed class EverySampleTests
{
    [Theory]
    [InlineData("Threads")]
    [InlineData("Processes")]
    [InlineData("Async")]
    public void Exits_successfully_and_writes_nothing_to_standard_error(string sample)
    {
        SampleRun run = RunOf(sample);

        Assert.False(run.TimedOut, "the sample did not finish: a daemon kept it alive, or a join hung");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.StandardError);
    }

    [Theory]
    [InlineData("Threads")]
    [InlineData("Processes")]
    public void The_worker_with_an_argument_starts_then_finishes(string sample)
    {
        IReadOnlyList<string> lines = RunOf(sample).Lines;

        Assert.True(IndexOf(lines, "worker 3 started") < IndexOf(lines, "worker 3 finished"));
    }
}
