using ParallelDsl.Samples.Tour;
using System.Text.RegularExpressions;
using static ParallelDsl.Samples.Tests.SampleLines;

namespace ParallelDsl.Samples.Tests;

/// <summary>The Async sample prints what its asyncio originals print, whatever order its tasks end in.</summary>
public sealed partial class AsyncSampleTests
{
    private static SampleRun Run => RunOf("Async");

    [Fact]
    public void Gather_runs_the_three_counts_at_once_so_every_One_comes_before_every_Two()
    {
        IReadOnlyList<string> lines = Run.Lines;
        int start = IndexOf(lines, "-- gather: three coroutines at once --");

        Assert.Equal(["One", "One", "One", "Two", "Two", "Two"], lines.Skip(start + 1).Take(6));
    }

    [Fact]
    public void Task_WhenAll_over_process_and_thread_handles_gives_the_results_in_the_order_asked_for()
    {
        Assert.Contains("[1, 4, 9, 16]", Run.Lines);
        Assert.Contains("pages in the order asked for: a, b, c", Run.Lines);
    }

    [Fact]
    public void Wait_for_returns_a_result_in_time_and_a_timeout_kills_the_child()
    {
        IReadOnlyList<string> lines = Run.Lines;

        Assert.True(IndexOf(lines, "in time: 9") < IndexOf(lines, "timeout! the child was killed: exit code 137, alive: False"));
    }

    [Fact]
    public void MaxConcurrency_on_an_async_method_lets_at_most_two_run_and_all_five_finish()
    {
        IReadOnlyList<string> lines = Run.Lines;

        Assert.Contains("peak concurrency = 2", lines);
        for (int worker = 0; worker < 5; worker++)
        {
            int started = IndexOf(lines, text => text.StartsWith($"worker {worker} started (", StringComparison.Ordinal));
            Assert.True(started < IndexOf(lines, $"worker {worker} finished"), $"worker {worker} finished before it started");
            Assert.Matches(@"^worker \d started \([12] running\)$", lines[started]);
        }
    }

    [Fact]
    public void Exceptions_of_threads_and_children_reach_await_and_Task_WhenAll()
    {
        IReadOnlyList<string> lines = Run.Lines;

        Assert.Contains("caught FormatException: The input string 'eighty' was not in a correct format.", lines);
        IndexOf(lines, text => GatherRaised().IsMatch(text));
    }

    [Fact]
    public void Every_outcome_is_collected_one_by_one_as_return_exceptions_does()
    {
        IReadOnlyList<string> lines = Run.Lines;
        int start = IndexOf(lines, "-- gather(return_exceptions=True): every outcome, one by one --");

        string[] outcomes = [.. lines.Skip(start + 1).Take(3).Select(line => CheckName().Replace(line, "Check"))];
        Assert.Equal(["Check: 2", "Check: failed with System.ArgumentOutOfRangeException", "Check: 3"], outcomes);
    }

    [Fact]
    public void As_completed_yields_every_result_once()
    {
        string[] done = [.. Run.Lines.Where(line => line.StartsWith("done: ", StringComparison.Ordinal))];

        Assert.Equal(["done: fast", "done: medium", "done: slow"], done.Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"^gather raised System\.ArgumentOutOfRangeException from child 'Check-\d+': a negative input \(Parameter 'n'\)$")]
    private static partial Regex GatherRaised();

    [GeneratedRegex(@"^Check-\d+")]
    private static partial Regex CheckName();
}
