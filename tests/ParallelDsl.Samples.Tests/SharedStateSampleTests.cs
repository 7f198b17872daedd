using ParallelDsl.Samples.Tour;

namespace ParallelDsl.Samples.Tests;

/// <summary>
/// The SharedState sample prints what its Python originals print. Where processes interleave, the lines of a section
/// are compared without regard to their order.
/// </summary>
public sealed class SharedStateSampleTests
{
    private static readonly Lazy<SampleRun> Run = new(() => SampleRunner.Run("SharedState", SampleTimeouts.PerSample));

    [Fact]
    public void Exits_successfully_and_writes_nothing_to_standard_error()
    {
        SampleRun run = Run.Value;

        Assert.False(run.TimedOut, "the sample did not finish: a child or a join hung");
        Assert.True(run.ExitCode == 0, $"the sample exited with {run.ExitCode}:\n{run.StandardError}");
        Assert.Equal(string.Empty, run.StandardError);
    }

    [Fact]
    public void Three_processes_incrementing_a_shared_int_and_array_leave_3_and_3_3_3()
    {
        Assert.Equal(["3", "[3, 3, 3]"], Section("a shared int and a shared int array, each incremented by 3 processes"));
    }

    [Fact]
    public void Two_processes_in_turn_leave_the_double_at_2_and_the_array_as_it_started()
    {
        Assert.Equal(["2.0", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"], Section("a shared double and an array 0..9, negated by two processes in turn"));
    }

    [Fact]
    public void The_queue_delivers_the_three_squares_in_any_order()
    {
        Assert.Equal(["1", "4", "9"], Section("a queue fed by 3 processes").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parent_and_child_each_print_what_the_other_sent_through_the_pipe()
    {
        IReadOnlyList<string> lines = Section("a pipe: the parent sends, the child replies");

        Assert.Equal(["child received: hello from the parent", "parent received: hello from the child"], lines);
    }

    [Fact]
    public void The_consumer_thread_takes_every_produced_item_in_order_and_ends_when_the_producer_completes_the_queue()
    {
        IReadOnlyList<string> lines = Section("a producer process feeding a consumer thread");

        string[] items = ["0", "1", "2", "3", "4"];
        Assert.Equal(items.Select(item => $"produced {item}"), lines.Where(line => line.StartsWith("produced ", StringComparison.Ordinal)));
        Assert.Equal(items.Select(item => $"consumed {item}"), lines.Where(line => line.StartsWith("consumed ", StringComparison.Ordinal)));
        Assert.Equal("the consumer thread took 5 items", lines[^1]);
        Assert.Equal(11, lines.Count);
    }

    /// <summary>The non-empty lines under the heading <c>-- {title} --</c>, up to the next heading.</summary>
    private static IReadOnlyList<string> Section(string title)
    {
        IReadOnlyList<string> lines = Run.Value.Lines;
        int heading = lines.ToList().IndexOf($"-- {title} --");
        Assert.True(heading >= 0, $"the sample printed no section '{title}':\n{Run.Value.StandardOutput}\n{Run.Value.StandardError}");
        return lines.Skip(heading + 1).TakeWhile(line => !line.StartsWith("-- ", StringComparison.Ordinal)).Where(line => line.Length > 0).ToList();
    }
}
