using Microsoft.CodeAnalysis;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>Severities come from .editorconfig, as users configure them.</summary>
// On our own harness (TestCompilation) still: moved onto the standard framework with its AnalyzerConfigFiles, the
// severities set below did not reach the reported diagnostics in this project's test setup (they stayed warnings),
// and a test of severities that cannot see them would be no test. Until that is understood, these tests give the
// compilation the .editorconfig themselves.
public class EditorConfigTests
{
    private const string RacyThread = """
        using ParallelDsl;
        partial class Counter
        {
            static int s_total;
            [RunInThread] static void Add() { s_total++; System.Console.WriteLine(); }
        }
        """;

    [Fact]
    public void Default_severity_is_a_warning()
    {
        Assert.Equal(DiagnosticSeverity.Warning, Analyze(RacyThread, editorConfig: null).Single().Severity);
    }

    [Fact]
    public void Severity_error_in_editorconfig_makes_it_an_error()
    {
        Diagnostic diagnostic = Analyze(RacyThread, """
            root = true
            [*.cs]
            dotnet_diagnostic.PDSL0001.severity = error
            """).Single();

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
    }

    [Fact]
    public void Severity_none_in_editorconfig_silences_the_rule()
    {
        Assert.Empty(Analyze(RacyThread, """
            root = true
            [*.cs]
            dotnet_diagnostic.PDSL0001.severity = none
            """));
    }

    [Fact]
    public void Missing_main_guard_can_be_made_an_error()
    {
        const string program = """
            using ParallelDsl;
            static partial class Program
            {
                [RunInProcess] static int Square(int n) => n * n;
                static void Main(string[] args) { }
            }
            """;

        Diagnostic diagnostic = Analyze(program, """
            root = true
            [*.cs]
            dotnet_diagnostic.PDSL0002.severity = error
            """, OutputKind.ConsoleApplication).Single();

        Assert.Equal(("PDSL0002", DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
    }

    private static Diagnostic[] Analyze(string source, string? editorConfig, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        Compilation compilation = TestCompilation.Create([TestCompilation.Parse(source, TestCompilation.SourcePath(0))], outputKind, editorConfig);
        return [.. TestCompilation.Analyze(compilation, TestCompilation.AllAnalyzers).Where(d => d.Id.StartsWith("PDSL", StringComparison.Ordinal))];
    }
}
