using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0008: ref, out, in and pointer parameters point into the caller's stack, which the launched method cannot
/// reach; a ref struct such as <c>Span&lt;T&gt;</c> lives on that stack too.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ByRefParameterAnalyzer() : LaunchMethodAnalyzer(DiagnosticDescriptors.ByRefParameter, LaunchRule.ByRefParameter)
{
    /// <summary>What makes <paramref name="parameter"/> unusable by a launched method, or <see langword="null"/>.</summary>
    public static string? Describe(IParameterSymbol parameter) => LaunchTarget.DescribeByRef(parameter);

    protected override Diagnostic Create(IMethodSymbol method, LaunchKind kind, LaunchProblem problem) =>
        Diagnostic.Create(DiagnosticDescriptors.ByRefParameter, LocationOf(method, problem),
            problem.Parameter!.Name, KnownSymbols.AttributeName(kind), method.Name, problem.Detail);
}
