using Microsoft.CodeAnalysis;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>
/// Users type: the analyzers see half-written code all day. Every sample, and a program that breaks every rule, are
/// cut short at many offsets and garbled by random deletions; no analyzer may throw on any variant.
/// </summary>
// On our own harness (TestCompilation): this is no per-rule diagnostic test. It runs every analyzer over hundreds of
// broken variants of real files and asserts only that none throws; the standard framework would demand the exact
// compiler errors of each variant.
public class RobustnessTests
{
    private const int Cuts = 30;
    private const int Garbles = 30;

    public static readonly TheoryData<string> Sources =
    [
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "EveryRule.cs"),
        .. SamplesTests.SampleNames.SelectMany(sample => SamplesTests.SourceFiles(sample)),
    ];

    [Fact]
    public void The_fixture_that_breaks_every_rule_reports_every_rule()
    {
        string source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "EveryRule.cs"));
        string[] reported = AnalyzeVariant(source).Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(Enumerable.Range(1, 15).Select(i => $"PDSL{i:0000}"), reported);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Source_cut_short_at_any_point_does_not_crash_an_analyzer(string file)
    {
        string source = File.ReadAllText(file);
        for (int i = 1; i <= Cuts; i++)
        {
            AnalyzeVariant(source[..(source.Length * i / (Cuts + 1))]);
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Source_with_random_deletions_does_not_crash_an_analyzer(string file)
    {
        string source = File.ReadAllText(file);
        var random = new Random(file.Length);
        for (int i = 0; i < Garbles; i++)
        {
            string garbled = source;
            for (int deletions = random.Next(1, 4); deletions > 0; deletions--)
            {
                int start = random.Next(garbled.Length);
                garbled = garbled.Remove(start, Math.Min(random.Next(1, 20), garbled.Length - start));
            }

            AnalyzeVariant(garbled);
        }
    }

    /// <summary>Analyzes one variant; <see cref="TestCompilation.Analyze"/> fails the test if an analyzer throws.</summary>
    private static IEnumerable<Diagnostic> AnalyzeVariant(string source)
    {
        Compilation compilation = TestCompilation.WithGeneratedSources(
            TestCompilation.Create([TestCompilation.Parse(source, TestCompilation.SourcePath(0))], OutputKind.ConsoleApplication));
        return TestCompilation.Analyze(compilation, TestCompilation.AllAnalyzers).Where(d => d.Id.StartsWith("PDSL", StringComparison.Ordinal));
    }
}
