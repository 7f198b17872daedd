using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>PDSL0009: a child process starts from nothing, so it has no instance to call a method on.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class InstanceProcessMethodAnalyzer() : LaunchMethodAnalyzer(DiagnosticDescriptors.InstanceProcessMethod, LaunchRule.InstanceProcessMethod)
{
    protected override Diagnostic Create(IMethodSymbol method, LaunchKind kind, LaunchProblem problem) =>
        Diagnostic.Create(DiagnosticDescriptors.InstanceProcessMethod, LocationOf(method, problem), method.Name);
}
