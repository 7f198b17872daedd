using System.Diagnostics;
using System.Reflection;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// The chaos program (tests/Fixtures/ChaosFixture) in its short form: process pools under random SIGKILLs at random
/// moments and a SIGSTOP, in a process of their own so that its children, memfds and sockets are all the pools'.
/// </summary>
public sealed class ChaosTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromMinutes(4);

    private static readonly string FixtureDirectory = typeof(ChaosTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "ChaosFixtureDirectory").Value!;

    [Fact]
    public async Task Pools_under_random_kills_lose_no_task_repeat_no_result_and_leave_nothing_behind()
    {
        int seed = Environment.TickCount & 0x7FFFFFFF;
        var startInfo = new ProcessStartInfo(Path.Combine(FixtureDirectory, "ChaosFixture"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string temporary = Directory.CreateTempSubdirectory("chaos-").FullName;
        startInfo.Environment["TMPDIR"] = temporary + "/";
        startInfo.ArgumentList.Add("short");
        startInfo.ArgumentList.Add(seed.ToString(System.Globalization.CultureInfo.InvariantCulture));

        string[] left;
        string stdout;
        string report;
        int exitCode;
        bool exited = true;
        try
        {
            using Process chaos = Process.Start(startInfo)!;
            Task<string> output = chaos.StandardOutput.ReadToEndAsync();
            Task<string> error = chaos.StandardError.ReadToEndAsync();
            try
            {
                await chaos.WaitForExitAsync().WaitAsync(Safety);
            }
            catch (TimeoutException)
            {
                exited = false;
                chaos.Kill(entireProcessTree: true);
                await chaos.WaitForExitAsync();
            }

            exitCode = chaos.ExitCode;
            stdout = await output;
            report = $"seed {seed}\n{stdout}\n{await error}";
            // Killed .NET processes leave the runtime's diagnostics endpoints behind; those are not the pool's.
            left = [.. Directory.GetFileSystemEntries(temporary, "*", SearchOption.AllDirectories)
                .Where(path => !Path.GetFileName(path).StartsWith("dotnet-diagnostic-", StringComparison.Ordinal)
                               && !Path.GetFileName(path).StartsWith("clr-debug-pipe-", StringComparison.Ordinal))];
        }
        finally
        {
            Directory.Delete(temporary, recursive: true);
        }

        Assert.True(exited, $"the chaos run did not end within {Safety}: {report}");
        Assert.True(exitCode == 0, $"exit code {exitCode}: {report}");
        Assert.Contains("chaos: passed", stdout, StringComparison.Ordinal);
        Assert.Equal(7, stdout.Split('\n').Count(line => line.StartsWith("scenario ", StringComparison.Ordinal)));
        Assert.True(left.Length == 0, $"left in the run's temporary directory after it exited: {string.Join(", ", left)}");
    }
}
