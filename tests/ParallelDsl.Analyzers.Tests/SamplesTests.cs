using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>
/// The samples are the code users copy: built with the generator and every analyzer, they must be free of PDSL
/// diagnostics, unless a <c>#pragma warning disable PDSLnnnn</c> says on its line why.
/// </summary>
// On our own harness (TestCompilation): the sources are the sample folders as they are on disk, built as the samples'
// projects build them, and the justified pragmas are read from their lines; no per-rule expectation applies.
public partial class SamplesTests
{
    /// <summary>
    /// The samples with sources: one directory each under samples/, but the Tour, which only runs the others (it uses
    /// no ParallelDsl API, and its build writes half of its catalog class).
    /// </summary>
    public static readonly string[] SampleNames =
        [.. Directory.GetDirectories(Repository.PathOf("samples"))
            .Where(directory => Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories).Length > 0)
            .Where(directory => Path.GetFileName(directory) != "Tour")
            .Select(directory => Path.GetFileName(directory))];

    public static readonly TheoryData<string> Samples = [.. SampleNames];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_has_no_parallel_dsl_diagnostics(string sample)
    {
        string[] files = SourceFiles(sample);
        Compilation compilation = TestCompilation.WithGeneratedSources(TestCompilation.Create(
            files.Select(file => TestCompilation.Parse(File.ReadAllText(file), file)), OutputKind.ConsoleApplication));

        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        string[] reported = TestCompilation.Analyze(compilation, TestCompilation.AllAnalyzers)
            .Where(d => d.Id.StartsWith("PDSL", StringComparison.Ordinal))
            .Select(d => d.ToString())
            .ToArray();

        Assert.Empty(reported);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_suppression_in_a_sample_says_why(string sample)
    {
        foreach (string file in SourceFiles(sample))
        {
            foreach (string line in File.ReadAllLines(file).Where(l => l.Contains("pragma warning disable PDSL", StringComparison.Ordinal)))
            {
                Assert.Matches(Justified(), line);
            }
        }
    }

    /// <summary>The source files of one sample, without build output.</summary>
    public static string[] SourceFiles(string sample) =>
        Directory.GetFiles(Repository.PathOf("samples", sample), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                           && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

    [GeneratedRegex(@"#pragma warning disable PDSL\d{4}\s*//\s*\S.{10,}")]
    private static partial Regex Justified();
}
