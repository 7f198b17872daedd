using System.Runtime.CompilerServices;
using Microsoft.Coyote;
using Microsoft.Coyote.SystematicTesting;

namespace ParallelDsl.Coyote.Tests;

/// <summary>Runs a test body under Coyote's scheduler for many iterations, each a different interleaving.</summary>
internal static class Systematic
{
    /// <summary>
    /// Explores <paramref name="test"/>; fails with Coyote's bug report and the way to replay it when an assertion
    /// fails, an exception escapes, or the controlled tasks deadlock in some interleaving.
    /// </summary>
    public static void Explore(Func<Task> test, uint iterations = 300, [CallerMemberName] string name = "")
    {
        Configuration configuration = Configuration.Create()
            .WithTestingIterations(iterations)
            .WithPartiallyControlledConcurrencyAllowed(false);
        using TestingEngine engine = TestingEngine.Create(configuration, test);
        engine.Run();
        TestReport report = engine.TestReport;
        if (report.NumOfFoundBugs > 0)
        {
            string trace = Path.Combine(Path.GetTempPath(), $"coyote-{name}-{Environment.ProcessId}.trace");
            File.WriteAllText(trace, engine.ReproducibleTrace);
            Assert.Fail($"Coyote found {report.NumOfFoundBugs} bug(s) in {name} within {iterations} interleavings:{Environment.NewLine}"
                + string.Join(Environment.NewLine, report.BugReports)
                + $"{Environment.NewLine}Replay: Configuration.WithReplayStrategy(File.ReadAllText(\"{trace}\")).");
        }

        Assert.True(report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths > 0, "Coyote explored no interleaving.");
    }
}
