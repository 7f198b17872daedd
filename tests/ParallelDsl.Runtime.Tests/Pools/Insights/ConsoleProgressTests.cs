using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using ParallelDsl;

namespace ParallelDsl.Runtime.Tests.Pools.Insights;

/// <summary>
/// <see cref="ConsoleProgress"/>: the ProcessFixture program (mode <c>progress</c>, 40 tasks of 50 ms, every tenth
/// throws) run under a pseudo-terminal (tmux) whose screen is read, and with its output redirected; and the lines a bar
/// writes for known reports.
/// </summary>
public sealed class ConsoleProgressTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(90);

    private static readonly string Fixture = Path.Combine(
        typeof(ConsoleProgressTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "ProcessFixtureDirectory").Value!,
        "ProcessFixture");

    [Fact]
    public void On_a_terminal_the_bar_is_redrawn_in_place_and_ends_full_with_the_failures()
    {
        string server = $"pdsl-progress-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            Tmux(server, "new-session", "-d", "-x", "120", "-y", "10", $"env PROCESS_FIXTURE_MODE=progress {Fixture}; echo exited; sleep 60");
            string screen = "";
            Assert.True(
                SpinWait.SpinUntil(() => (screen = Tmux(server, "capture-pane", "-p")).Contains("exited", StringComparison.Ordinal), Safety),
                $"The program did not end; the screen shows:\n{screen}");

            string[] lines = [.. screen.Split('\n').Select(line => line.TrimEnd()).Where(line => line.Length > 0)];
            Assert.Equal(3, lines.Length);
            Assert.Matches(@"^slow: 100%\|█{24}\| 40/40 \[\d\d:\d\d<00:00, \d+\.\d tasks/s\] 4 failed$", lines[0]);
            Assert.Equal("failed: 4", lines[1]);
            Assert.Equal("exited", lines[2]);
        }
        finally
        {
            Tmux(server, "kill-server");
        }
    }

    [Fact]
    public void A_redirected_output_gets_plain_periodic_lines_and_a_last_one()
    {
        var start = new ProcessStartInfo(Fixture) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PROCESS_FIXTURE_MODE"] = "progress";
        using Process program = Process.Start(start)!;
        string output = program.StandardOutput.ReadToEnd();
        Assert.True(program.WaitForExit(Safety), "The program did not end.");

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain('\r', output);
        Assert.DoesNotContain('█', output);
        Assert.Equal("failed: 4", lines[^1]);
        Assert.Matches(@"^slow: 100% 40/40 \[\d\d:\d\d<00:00, \d+\.\d tasks/s\] 4 failed$", lines[^2]);

        // 40 tasks of 50 ms on two workers take about a second: a line each 200 ms, not one per report.
        string[] progress = lines[..^1];
        Assert.InRange(progress.Length, 2, 15);
        int[] counts = [.. progress.Select(line => int.Parse(Regex.Match(line, @"^slow: +\d+% (\d+)/40 ").Groups[1].Value))];
        Assert.Equal(counts.Order(), counts);
        Assert.Equal(0, program.ExitCode);
    }

    [Fact]
    public void A_bar_describes_count_share_rate_and_failures_and_starts_again_for_the_next_call()
    {
        var output = new StringWriter();
        ConsoleProgress bar = ConsoleProgress.Bar(output, terminal: false, "map", TimeSpan.Zero);

        bar.Report(new PoolProgress(1, 4));
        bar.Report(new PoolProgress(3, 4) { Failed = 1 });
        bar.Report(new PoolProgress(2, 4));
        bar.Report(new PoolProgress(4, 4) { Failed = 1 });
        bar.Report(new PoolProgress(2, 2));

        string[] lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("map:  25% 1/4 [00:00<", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(" 1 failed", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("map:  75% 3/4", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("map: 100% 4/4 [00:00<00:00, ", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("map: 100% 2/2", lines[3], StringComparison.Ordinal);
        Assert.DoesNotContain("failed", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void A_terminal_bar_redraws_one_line()
    {
        var output = new StringWriter();
        ConsoleProgress bar = ConsoleProgress.Bar(output, terminal: true);

        bar.Report(new PoolProgress(0, 8));
        bar.Report(new PoolProgress(8, 8) { Failed = 2 });

        string text = output.ToString();
        Assert.StartsWith("\r  0%|                        | 0/8 [", text, StringComparison.Ordinal);
        Assert.Contains("\r100%|████████████████████████| 8/8 [", text, StringComparison.Ordinal);
        Assert.EndsWith($"2 failed\u001b[K{Environment.NewLine}", text, StringComparison.Ordinal);
        Assert.Single(text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Tmux(string server, params string[] arguments)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(server);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process tmux = Process.Start(start)!;
        string output = tmux.StandardOutput.ReadToEnd();
        tmux.WaitForExit();
        return output;
    }
}
