using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0013: the shapes no launcher can be written for that no other rule names — an abstract method, a ref return,
/// a method of a file-local or an interface type, a [RunInProcess] method of a generic or private type, a local function…
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class CannotLaunchAnalyzer() : LaunchMethodAnalyzer(DiagnosticDescriptors.CannotLaunch, LaunchRule.CannotLaunch)
{
    protected override Diagnostic Create(IMethodSymbol method, LaunchKind kind, LaunchProblem problem) =>
        Diagnostic.Create(DiagnosticDescriptors.CannotLaunch, LocationOf(method, problem), method.Name, KnownSymbols.AttributeName(kind), problem.Detail);
}
