using System.Diagnostics;
using System.Reflection;

namespace ParallelDsl.Tests.Processes;

/// <summary>
/// A user's first program, run as a program (the ProcessFixture's "first-contact" mode): a record through a queue
/// from children, a printing constructor that does not print again in the child, an instance method as a target.
/// </summary>
public sealed class FirstContactProgramTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(90);

    private static readonly string FixtureDirectory = typeof(FirstContactProgramTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "ProcessFixtureDirectory").Value!;

    [Fact]
    public async Task The_ported_tutorial_examples_print_what_Python_prints()
    {
        var startInfo = new ProcessStartInfo(Path.Combine(FixtureDirectory, "ProcessFixture"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment["PROCESS_FIXTURE_MODE"] = "first-contact";
        using Process process = Process.Start(startInfo)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Safety))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The program did not exit within {Safety}.");
        }

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {await error}");
        Assert.Equal(
            [
                "[42, None, 'process 1']",
                "[42, None, 'process 2']",
                "constructing 'hello' in MainProcess",
                "'hello' arrived in shower",
                "counter: 5 in reporter",
            ],
            (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
