using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ParallelDsl.Analyzers.Tests.Verifiers;

/// <summary>
/// Code-fix tests on Microsoft.CodeAnalysis.CSharp.CodeFix.Testing: the fix, Fix All in document, project and
/// solution scope, and the number of iterations are all checked against the expected source.
/// </summary>
internal static class CSharpCodeFixVerifier<TAnalyzer, TFixer>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TFixer : CodeFixProvider, new()
{
    /// <summary>Asserts that the fix <paramref name="equivalenceKey"/> turns the marked <paramref name="source"/> into <paramref name="fixedSource"/>.</summary>
    public static Task VerifyFixAsync(string source, string fixedSource, string? equivalenceKey = null) =>
        new Test { TestCode = source, FixedCode = fixedSource, CodeActionEquivalenceKey = equivalenceKey }.RunAsync();

    /// <summary>A test of <typeparamref name="TFixer"/> in a project set up like a user's.</summary>
    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TFixer, DefaultVerifier>
    {
        public Test()
        {
            TestProject.Apply(TestState);
            TestProject.Apply(FixedState);
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
            SolutionTransforms.Add(TestProject.Configure);
        }

        protected override IEnumerable<Type> GetSourceGenerators() => [typeof(ParallelDsl.Generator.ParallelDslGenerator)];
    }
}
