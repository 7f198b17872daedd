using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0009: a child process starts from nothing, so an instance method runs there on a copy of its object, sent
/// through the type's codec as pickle sends a bound method's object; a type with no codec, or whose codec would leave
/// some of the object's state behind (a private field), leaves the child nothing faithful to call the method on.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class InstanceProcessMethodAnalyzer() : LaunchMethodAnalyzer(DiagnosticDescriptors.InstanceProcessMethod, LaunchRule.InstanceProcessMethod)
{
    protected override Diagnostic Create(IMethodSymbol method, LaunchKind kind, LaunchProblem problem) =>
        Diagnostic.Create(DiagnosticDescriptors.InstanceProcessMethod, LocationOf(method, problem), method.Name, method.ContainingType.Name, problem.Detail);
}
