using ParallelDsl.Samples.Tour;
using static ParallelDsl.Samples.Tests.SampleLines;

namespace ParallelDsl.Samples.Tests;

/// <summary>The Threads sample prints what its Python original prints, whatever order its threads run in.</summary>
public sealed class ThreadsSampleTests
{
    private static readonly Lazy<SampleRun> Run = new(() => SampleRunner.Run("Threads", SampleTimeouts.PerSample));

    [Fact]
    public void Exits_successfully_and_writes_nothing_to_standard_error()
    {
        SampleRun run = Run.Value;

        Assert.False(run.TimedOut, "the sample did not finish: a daemon thread kept it alive, or a join hung");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.StandardError);
    }

    [Fact]
    public void All_done_comes_after_every_worker_line()
    {
        IReadOnlyList<string> lines = Run.Value.Lines;

        int allDone = IndexOf(lines, "all done");
        for (int worker = 0; worker < 3; worker++)
        {
            int line = IndexOf(lines, text => text.StartsWith($"worker {worker} ran on Worker-", StringComparison.Ordinal));
            Assert.True(line < allDone, $"worker {worker} printed after 'all done'");
        }
    }

    [Fact]
    public void The_worker_with_an_argument_starts_then_finishes()
    {
        IReadOnlyList<string> lines = Run.Value.Lines;

        Assert.True(IndexOf(lines, "worker 3 started") < IndexOf(lines, "worker 3 finished"));
    }

    [Fact]
    public void The_counter_under_a_lock_loses_no_increment()
    {
        Assert.Contains("counter = 300000", Run.Value.Lines);
    }

    [Fact]
    public void The_daemon_thread_is_a_background_thread_that_does_not_keep_the_program_alive()
    {
        IReadOnlyList<string> lines = Run.Value.Lines;

        Assert.True(
            IndexOf(lines, "daemon thread 'heartbeat' is a background thread: True")
            < IndexOf(lines, "main ends without joining it; the daemon does not keep the program alive"));
        Assert.Equal(0, Run.Value.ExitCode);
    }

    [Fact]
    public void At_most_two_limited_tasks_run_at_once_and_all_five_finish()
    {
        IReadOnlyList<string> lines = Run.Value.Lines;

        Assert.Contains("peak concurrency = 2", lines);
        for (int task = 0; task < 5; task++)
        {
            int started = IndexOf(lines, text => text.StartsWith($"task {task} started (", StringComparison.Ordinal));
            Assert.True(started < IndexOf(lines, $"task {task} finished"), $"task {task} finished before it started");
            Assert.Matches(@"^task \d started \([12] running\)$", lines[started]);
        }
    }
}
