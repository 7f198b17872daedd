using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>PDSL0006: the generator adds launchers to the method's type, so it and every type around it must be partial.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NonPartialTypeAnalyzer() : LaunchMethodAnalyzer(DiagnosticDescriptors.NonPartialType, LaunchRule.NonPartialType)
{
    protected override Diagnostic Create(IMethodSymbol method, LaunchKind kind, LaunchProblem problem) =>
        Diagnostic.Create(DiagnosticDescriptors.NonPartialType, LocationOf(method, problem), method.Name, KnownSymbols.AttributeName(kind), problem.Detail);
}
