using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ParallelDsl.Tests.Processes;

/// <summary>
/// Whole process trees: the ProcessFixture program (tests/Fixtures/ProcessFixture) runs a scenario chosen by
/// PROCESS_FIXTURE_MODE; the test watches its output, its exit code and its children's pids in /proc.
/// </summary>
public sealed class ProcessFixtureTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    private static readonly string FixtureDirectory = typeof(ProcessFixtureTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "ProcessFixtureDirectory").Value!;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_guarded_program_runs_its_worker_whether_started_as_an_apphost_or_through_dotnet(bool throughMuxer)
    {
        FixtureRun run = RunToEnd("square", throughMuxer, arguments: "12");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("144", run.Output.Trim());
    }

    [Fact]
    public void A_missing_guard_fails_fast_with_the_fix_and_the_worker_starts_no_children()
    {
        FixtureRun run = RunToEnd("unguarded");

        // The fixture's Main returns 70 when the parent's join reports the missing guard; the worker exited with 2.
        Assert.Equal(70, run.ExitCode);
        Assert.Contains("MainProcess", run.Error, StringComparison.Ordinal);
        Assert.Contains("reported that the program's Main does not call the main guard first", run.Error, StringComparison.Ordinal);
        Assert.Contains("add `MainGuard.Enter(args);` as the first statement of Main", run.Error, StringComparison.Ordinal);
        // The unguarded worker ran Main, reached the launcher and was refused instead of starting a grandchild.
        Assert.Contains("must not start worker processes of its own", run.Error, StringComparison.Ordinal);
        Assert.Equal(2, run.Error.Split('\n').Count(line => line.Contains("MissingMainGuardException", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_worker_that_never_connects_is_killed_after_the_connect_timeout()
    {
        FixtureRun run = RunToEnd("unguarded-silent");

        Assert.Equal(70, run.ExitCode);
        Assert.Contains("did not connect back to its parent within 2 s and was killed", run.Error, StringComparison.Ordinal);
        Assert.Contains("add `MainGuard.Enter(args);`", run.Error, StringComparison.Ordinal);
        int child = int.Parse(run.Output.Split(' ')[1]);
        Assert.False(ProcessTree.IsRunning(child));
    }

    [Fact]
    public void A_parent_that_dies_of_an_unhandled_exception_leaves_no_socket_directory_behind()
    {
        string temp = Directory.CreateTempSubdirectory("pdsl-test-tmp-").FullName;
        try
        {
            FixtureRun run = RunToEnd("throw-after-child", tempDirectory: temp);

            Assert.Equal("25", run.Output.Trim());
            Assert.Contains("the program's own bug", run.Error, StringComparison.Ordinal);
            Assert.NotEqual(0, run.ExitCode);
            Assert.Empty(Directory.GetFileSystemEntries(temp));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [Fact]
    public void Workers_read_an_empty_stdin_and_leave_the_input_to_the_parent()
    {
        FixtureRun run = RunToEnd("stdin", input: "typed by the user");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["child read ''", "parent read 'typed by the user'", ""], run.Output.Split('\n'));
    }

    [Fact]
    public void Children_die_when_their_parent_is_killed_with_SIGKILL()
    {
        using Process parent = StartFixture("orphans", throughMuxer: false);
        int[] children = [];
        try
        {
            children = ReadChildren(parent, out List<string> earlier);
            WaitUntilSleeping(parent, children, earlier);
            Assert.All(children, pid => Assert.True(ProcessTree.IsRunning(pid)));

            parent.Kill();
            Assert.True(parent.WaitForExit(Safety));

            Assert.Empty(ProcessTree.WaitUntilGone(children, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            KillAll(parent, children);
        }
    }

    [Fact]
    public void At_normal_exit_daemon_children_are_killed_and_the_others_joined()
    {
        using Process parent = StartFixture("exit-with-children", throughMuxer: false);
        int[] children = [];
        try
        {
            children = ReadChildren(parent, out _);
            Assert.True(parent.WaitForExit(Safety));

            Assert.Equal(0, parent.ExitCode);
            Assert.DoesNotContain(children, ProcessTree.IsRunning);
        }
        finally
        {
            KillAll(parent, children);
        }
    }

    /// <summary>
    /// Reads up to the parent's "children {pid} {pid}" line. The children share the parent's output and may print
    /// before it does: their earlier lines are returned in <paramref name="earlier"/>.
    /// </summary>
    private static int[] ReadChildren(Process parent, out List<string> earlier)
    {
        earlier = [];
        while (true)
        {
            string? line = parent.StandardOutput.ReadLineAsync().WaitAsync(Safety).GetAwaiter().GetResult();
            Assert.NotNull(line);
            if (line.StartsWith("children ", StringComparison.Ordinal))
            {
                return [.. line.Split(' ').Skip(1).Select(int.Parse)];
            }

            Assert.StartsWith("sleeping ", line, StringComparison.Ordinal);
            earlier.Add(line);
        }
    }

    /// <summary>Reads the workers' "sleeping {pid}" lines: each has connected and is running its task.</summary>
    private static void WaitUntilSleeping(Process parent, int[] children, List<string> earlier)
    {
        var waiting = new HashSet<string>(children.Select(pid => $"sleeping {pid}"));
        waiting.ExceptWith(earlier);
        while (waiting.Count > 0)
        {
            string? line = parent.StandardOutput.ReadLineAsync().WaitAsync(Safety).GetAwaiter().GetResult();
            Assert.NotNull(line);
            waiting.Remove(line);
        }
    }

    private static void KillAll(Process parent, int[] children)
    {
        if (!parent.HasExited)
        {
            parent.Kill();
        }

        foreach (int child in children.Where(ProcessTree.IsRunning))
        {
            _ = kill(child, 9);
        }
    }

    private static Process StartFixture(string mode, bool throughMuxer, string input = "", string? tempDirectory = null, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(throughMuxer ? "dotnet" : Path.Combine(FixtureDirectory, "ProcessFixture"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (throughMuxer)
        {
            startInfo.ArgumentList.Add(Path.Combine(FixtureDirectory, "ProcessFixture.dll"));
        }

        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["PROCESS_FIXTURE_MODE"] = mode;
        if (tempDirectory is not null)
        {
            startInfo.Environment["TMPDIR"] = tempDirectory;
        }

        Process process = Process.Start(startInfo)!;
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        return process;
    }

    private static FixtureRun RunToEnd(string mode, bool throughMuxer = false, string input = "", string? tempDirectory = null, params string[] arguments)
    {
        using Process process = StartFixture(mode, throughMuxer, input, tempDirectory, arguments);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Safety))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The fixture in mode '{mode}' did not exit within {Safety}.");
        }

        return new FixtureRun(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private sealed record FixtureRun(int ExitCode, string Output, string Error);
}
