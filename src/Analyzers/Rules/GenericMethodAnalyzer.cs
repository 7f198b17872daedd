using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>PDSL0007: a launcher and a dispatch entry need concrete parameter types.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class GenericMethodAnalyzer() : LaunchMethodAnalyzer(DiagnosticDescriptors.GenericMethod, LaunchRule.GenericMethod)
{
    protected override Diagnostic Create(IMethodSymbol method, LaunchKind kind, LaunchProblem problem) =>
        Diagnostic.Create(DiagnosticDescriptors.GenericMethod, LocationOf(method, problem), method.Name, KnownSymbols.AttributeName(kind));
}
