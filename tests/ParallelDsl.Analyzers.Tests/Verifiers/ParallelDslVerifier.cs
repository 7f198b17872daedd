using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ParallelDsl.Analyzers.Tests.Verifiers;

/// <summary>
/// Analyzer tests on Microsoft.CodeAnalysis.CSharp.Analyzer.Testing with every ParallelDsl analyzer running, as in a
/// user's build: a test asserts that its source gets exactly the marked diagnostics of all rules, not only of the rule
/// it is about. For rules whose cases sit beside other rules' (a method can break several launch rules at once).
/// </summary>
internal static class ParallelDslVerifier
{
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    /// <summary>Asserts that <paramref name="sources"/>, built as <paramref name="outputKind"/>, get exactly the marked and the <paramref name="expected"/> diagnostics.</summary>
    public static Task VerifyAsync(OutputKind outputKind, string[] sources, params DiagnosticResult[] expected)
    {
        var test = new Test();
        test.TestState.OutputKind = outputKind;
        foreach (string source in sources)
        {
            test.TestState.Sources.Add(source);
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Like <see cref="VerifyAsync(OutputKind, string[], DiagnosticResult[])"/> for one source file of a class library.</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(OutputKind.DynamicallyLinkedLibrary, [source], expected);

    /// <summary>A test of every ParallelDsl analyzer in a project set up like a user's.</summary>
    public sealed class Test : CSharpAnalyzerTest<EmptyDiagnosticAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            TestProject.Apply(TestState);
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
            SolutionTransforms.Add(TestProject.Configure);
        }

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => TestCompilation.AllAnalyzers;

        protected override IEnumerable<Type> GetSourceGenerators() => [typeof(ParallelDsl.Generator.ParallelDslGenerator)];
    }
}
