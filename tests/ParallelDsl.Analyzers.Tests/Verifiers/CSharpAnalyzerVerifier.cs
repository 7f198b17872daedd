using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ParallelDsl.Analyzers.Tests.Verifiers;

/// <summary>
/// Analyzer tests on Microsoft.CodeAnalysis.CSharp.Analyzer.Testing: <c>{|PDSL0001:x|}</c> markup for what must be
/// reported; the ParallelDsl generator runs first, as in a build, and a compiler error in a test source fails the test.
/// </summary>
internal static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    /// <summary>Asserts that analyzing <paramref name="sources"/> reports exactly the marked and the <paramref name="expected"/> diagnostics.</summary>
    public static Task VerifyAsync(string[] sources, params DiagnosticResult[] expected)
    {
        var test = new Test();
        foreach (string source in sources)
        {
            test.TestState.Sources.Add(source);
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Like <see cref="VerifyAsync(string[], DiagnosticResult[])"/> for one source file.</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) => VerifyAsync([source], expected);

    /// <summary>A test of <typeparamref name="TAnalyzer"/> in a project set up like a user's.</summary>
    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            TestProject.Apply(TestState);
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
            SolutionTransforms.Add(TestProject.Configure);
        }

        protected override IEnumerable<Type> GetSourceGenerators() => [typeof(ParallelDsl.Generator.ParallelDslGenerator)];
    }
}
