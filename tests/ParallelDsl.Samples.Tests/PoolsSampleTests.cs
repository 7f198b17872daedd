using System.Text.RegularExpressions;
using ParallelDsl.Samples.Tour;
using static ParallelDsl.Samples.Tests.SampleLines;

namespace ParallelDsl.Samples.Tests;

/// <summary>The Pools sample prints what its Python originals print, whatever order its workers run in.</summary>
public sealed partial class PoolsSampleTests
{
    private static readonly Lazy<SampleRun> Run = new(() => SampleRunner.Run("Pools", SampleTimeouts.PerSample));

    [Fact]
    public void Exits_successfully_and_writes_nothing_to_standard_error()
    {
        SampleRun run = Run.Value;

        Assert.False(run.TimedOut, "the sample did not finish: a pool or a worker hung");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.StandardError);
    }

    [Fact]
    public void Map_of_square_prints_the_squares_in_input_order()
    {
        Assert.Equal("[1, 4, 9, 16]", LineAfter("--- map of square over [1, 2, 3, 4] ---"));
    }

    [Fact]
    public void Each_of_the_five_thread_pool_tasks_starts_then_finishes()
    {
        IReadOnlyList<string> lines = Run.Value.Lines;

        for (int task = 0; task < 5; task++)
        {
            Assert.True(IndexOf(lines, $"task {task} started") < IndexOf(lines, $"task {task} finished"), $"task {task} finished before it started");
        }

        Assert.Contains("results: 0, 10, 20, 30, 40", lines);
    }

    [Fact]
    public void The_three_worker_threads_never_run_more_than_three_tasks_at_once()
    {
        int running = 0;
        foreach (string line in Run.Value.Lines.Where(line => TaskLine().IsMatch(line)))
        {
            running += line.EndsWith("started", StringComparison.Ordinal) ? 1 : -1;
            Assert.InRange(running, 0, 3);
        }
    }

    [Fact]
    public void The_long_map_reports_its_progress_in_plain_lines_then_the_insights_count_every_task()
    {
        IReadOnlyList<string> lines = Run.Value.Lines;
        int section = IndexOf(lines, "--- a long map with a progress bar, then the workers' insights ---");
        int sum = IndexOf(lines, "sum of squares: 2646700");
        string[] progress = [.. lines.Skip(section + 1).Take(sum - section - 1)];

        Assert.NotEmpty(progress);
        Assert.All(progress, line => Assert.StartsWith("squares: ", line, StringComparison.Ordinal));
        Assert.StartsWith("squares: 100% 200/200 [", progress[^1], StringComparison.Ordinal);
        Assert.StartsWith("ProcessPool-", lines[sum + 1], StringComparison.Ordinal);
        string[] total = lines.Skip(sum).First(line => line.StartsWith("total ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["total", "200", "0", "0", "0"], total[..5]);
    }

    [Fact]
    public void As_completed_prints_every_result_once()
    {
        string[] completed = [.. Run.Value.Lines.Where(line => line.StartsWith("completed: ", StringComparison.Ordinal))];

        Assert.Equal(["completed: 1", "completed: 4", "completed: 9"], completed.Order());
    }

    [Fact]
    public void The_limited_executor_reaches_a_peak_of_two()
    {
        Assert.Contains("peak concurrency = 2", Run.Value.Lines);
    }

    [Fact]
    public void The_pool_survives_the_task_that_kills_its_worker_and_prints_the_other_results()
    {
        IReadOnlyList<string> lines = Run.Value.Lines;

        Assert.Contains("risky(1) = 1", lines);
        Assert.Contains("risky(2) = 4", lines);
        Assert.Contains(lines, line => line.StartsWith("risky(3) failed: its worker ProcessPool-", StringComparison.Ordinal));
        Assert.Contains("risky(4) = 16", lines);
        Assert.Contains("risky(5) = 25", lines);
        Assert.Contains("the pool still works: [25, 36]", lines);
    }

    private static string LineAfter(string heading)
    {
        IReadOnlyList<string> lines = Run.Value.Lines;
        return lines[IndexOf(lines, heading) + 1];
    }

    [GeneratedRegex(@"^task \d (started|finished)$")]
    private static partial Regex TaskLine();
}
