using System.Text.RegularExpressions;
using ParallelDsl.Samples.Tour;
using ParallelDsl.Tests.Processes;
using static ParallelDsl.Samples.Tests.SampleLines;

namespace ParallelDsl.Samples.Tests;

/// <summary>The Processes sample prints what its Python multiprocessing original prints, whatever order its children run in.</summary>
public sealed partial class ProcessesSampleTests
{
    private static SampleRun Run => RunOf("Processes");

    [Fact]
    public void All_done_comes_after_every_one_of_the_four_workers_each_in_its_own_process()
    {
        IReadOnlyList<string> lines = Run.Lines;

        int allDone = IndexOf(lines, "all done");
        var pids = new HashSet<string>();
        for (int worker = 0; worker < 4; worker++)
        {
            int line = IndexOf(lines, text => text.StartsWith($"worker {worker} ran in Worker-", StringComparison.Ordinal));
            Assert.True(line < allDone, $"worker {worker} printed after 'all done'");
            pids.Add(WorkerPid().Match(lines[line]).Groups[1].Value);
        }

        Assert.Equal(4, pids.Count);
        Assert.DoesNotContain(ParentPid(lines), pids);
    }

    [Fact]
    public void The_parent_is_MainProcess_and_the_child_SubProcess_with_the_parent_as_its_parent()
    {
        IReadOnlyList<string> lines = Run.Lines;
        string parent = ParentPid(lines);

        Match child = ChildLine().Match(lines[IndexOf(lines, text => text.StartsWith("child: SubProcess (pid ", StringComparison.Ordinal))]);

        Assert.True(child.Success);
        Assert.NotEqual(parent, child.Groups[1].Value);
        Assert.Equal(parent, child.Groups[2].Value);
    }

    [Fact]
    public void Each_child_sees_43_and_the_parent_still_has_42_after_both()
    {
        IReadOnlyList<string> lines = Run.Lines;

        int[] children = [.. lines.Select((line, index) => (line, index))
            .Where(pair => CounterLine().IsMatch(pair.line))
            .Select(pair => pair.index)];
        Assert.Equal(2, children.Length);
        Assert.All(children, index => Assert.EndsWith(": 43", lines[index], StringComparison.Ordinal));
        Assert.True(children.Max() < IndexOf(lines, "counter in the parent after both children: 42"));
    }

    [Fact]
    public void A_looping_child_is_alive_until_killed_and_joined()
    {
        IReadOnlyList<string> lines = Run.Lines;

        int running = IndexOf(lines, "running: IsAlive = True");
        int joined = IndexOf(lines, "joined: the child was ended by signal 9");
        int after = IndexOf(lines, "after Kill and Join: IsAlive = False, ExitCode = 137");
        Assert.True(running < joined && joined < after);
    }

    [Fact]
    public void A_field_set_in_the_child_stays_unset_in_the_parent_and_the_sample_says_why()
    {
        IReadOnlyList<string> lines = Run.Lines;

        Assert.True(IndexOf(lines, "in the child: box.Value = set in the child") < IndexOf(lines, "in the parent: box.Value = (unset)"));
        IndexOf(lines, text => text.StartsWith("the child got a copy of the box", StringComparison.Ordinal));
    }

    [Fact]
    public void The_daemon_child_does_not_outlive_the_sample()
    {
        IReadOnlyList<string> lines = Run.Lines;

        Match daemon = DaemonLine().Match(lines[IndexOf(lines, text => text.StartsWith("daemon child 'daemon' (pid ", StringComparison.Ordinal))]);
        Assert.True(daemon.Success);
        int pid = int.Parse(daemon.Groups[1].Value);

        // The sample has exited; its runtime killed the daemon on the way out (a zombie awaiting its reaper counts as gone).
        Assert.Empty(ProcessTree.WaitUntilGone([pid], TimeSpan.FromSeconds(10)));
    }

    private static string ParentPid(IReadOnlyList<string> lines) =>
        ParentLine().Match(lines[IndexOf(lines, text => text.StartsWith("parent: MainProcess (pid ", StringComparison.Ordinal))]).Groups[1].Value;

    [GeneratedRegex(@"^worker \d ran in Worker-\d+ \(pid (\d+)\)$")]
    private static partial Regex WorkerPid();

    [GeneratedRegex(@"^parent: MainProcess \(pid (\d+)\)$")]
    private static partial Regex ParentLine();

    [GeneratedRegex(@"^child: SubProcess \(pid (\d+), parent pid (\d+)\)$")]
    private static partial Regex ChildLine();

    [GeneratedRegex(@"^counter in IncrementCounter-\d+: \d+$")]
    private static partial Regex CounterLine();

    [GeneratedRegex(@"^daemon child 'daemon' \(pid (\d+)\) is alive: True$")]
    private static partial Regex DaemonLine();
}
