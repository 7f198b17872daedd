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
    public static Task VerifyFixAsync(
        string source, string fixedSource, string? equivalenceKey = null, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary, CodeFixTestBehaviors behaviors = CodeFixTestBehaviors.None) =>
        VerifyFixAsync([source], [fixedSource], equivalenceKey, outputKind, behaviors);

    /// <summary>Like <see cref="VerifyFixAsync(string, string, string?, OutputKind, CodeFixTestBehaviors)"/> for a project of several files.</summary>
    public static Task VerifyFixAsync(
        string[] sources, string[] fixedSources, string? equivalenceKey = null, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary, CodeFixTestBehaviors behaviors = CodeFixTestBehaviors.None)
    {
        var test = new Test { CodeActionEquivalenceKey = equivalenceKey, CodeFixTestBehaviors = behaviors };
        test.TestState.OutputKind = outputKind;
        test.FixedState.OutputKind = outputKind;
        foreach (string source in sources)
        {
            test.TestState.Sources.Add(source);
        }

        foreach (string fixedSource in fixedSources)
        {
            test.FixedState.Sources.Add(fixedSource);
        }

        return test.RunAsync();
    }

    /// <summary>Asserts that the fixer offers nothing (or nothing named <paramref name="equivalenceKey"/>) for the diagnostics marked in <paramref name="source"/>.</summary>
    public static Task VerifyNoFixAsync(string source, string? equivalenceKey = null, CodeFixTestBehaviors behaviors = CodeFixTestBehaviors.None) =>
        VerifyFixAsync(source, source, equivalenceKey, behaviors: behaviors);

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
