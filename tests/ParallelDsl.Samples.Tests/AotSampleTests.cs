using ParallelDsl.Samples.Tour;
using static ParallelDsl.Samples.Tests.SampleLines;

namespace ParallelDsl.Samples.Tests;

/// <summary>
/// The Aot sample on the JIT (the tour's way of running it) prints what its native build prints, but for the lines
/// that say which it is; <c>.ci/aot-check</c> publishes it with NativeAOT and checks the native run.
/// </summary>
public sealed class AotSampleTests
{
    [Fact]
    public void Runs_every_section_on_the_jit_and_says_so()
    {
        SampleRun run = RunOf("Aot");

        Assert.False(run.TimedOut, "the sample did not finish: a pool, a queue or a child hung");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.StandardError);
        Assert.Equal(
            [
                "running on the JIT",
                "--- a launcher: a child process and its result ---",
                "6 * 6 = 36 from describer",
                "in another process: True",
                "--- a pool map that recovers from a crashed worker ---",
                "[1, 4, 9, 16, 25, 36]: 4 took 2 attempts, its first worker was killed",
                "--- a shared array filled by two processes ---",
                "[0, 10, 20, 30, 40, 50, 60, 70]",
                "--- a queue between two child processes ---",
                "the consumer summed 5050",
                "--- an exception thrown in a child ---",
                "System.FormatException from parser: The input string 'forty-two' was not in a correct format.",
            ],
            run.Lines);
    }
}
