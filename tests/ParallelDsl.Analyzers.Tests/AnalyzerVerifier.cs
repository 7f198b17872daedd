using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>Checks that the analyzers report exactly what a test source marks, and nothing else.</summary>
internal static class AnalyzerVerifier
{
    /// <summary>
    /// Compiles the marked-up sources (one file each) with every ParallelDsl analyzer and asserts that the PDSL
    /// diagnostics are exactly the marked ones, id and span.
    /// </summary>
    public static ImmutableArray<Diagnostic> Verify(OutputKind outputKind, params string[] markups)
    {
        Markup[] parsed = markups.Select(Markup.Parse).ToArray();
        SyntaxTree[] trees = parsed.Select((m, i) => TestCompilation.Parse(m.Source, TestCompilation.SourcePath(i))).ToArray();
        Compilation compilation = TestCompilation.WithGeneratedSources(TestCompilation.Create(trees, outputKind));
        ImmutableArray<Diagnostic> diagnostics = TestCompilation.Analyze(compilation, TestCompilation.AllAnalyzers);

        string[] expected = parsed
            .SelectMany((m, i) => m.Expected.Select(e => Describe(e.Id, trees[i], e.Span)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        string[] actual = diagnostics
            .Where(d => d.Id.StartsWith("PDSL", StringComparison.Ordinal))
            .Select(d => Describe(d.Id, d.Location.SourceTree!, d.Location.SourceSpan))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(expected, actual);
        return diagnostics;
    }

    /// <summary>Like <see cref="Verify(OutputKind, string[])"/> for a class library.</summary>
    public static ImmutableArray<Diagnostic> Verify(params string[] markups) => Verify(OutputKind.DynamicallyLinkedLibrary, markups);

    private static string Describe(string id, SyntaxTree tree, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        FileLinePositionSpan position = tree.GetLineSpan(span);
        return $"{id} {Path.GetFileName(tree.FilePath)}({position.StartLinePosition.Line + 1},{position.StartLinePosition.Character + 1}): '{tree.GetText().ToString(span)}'";
    }
}
