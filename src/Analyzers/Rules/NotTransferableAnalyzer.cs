using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0005: every argument and the result of a [RunInProcess] method is copied through a generated codec; a type
/// with no codec is an error at compile time rather than a failure in the child.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NotTransferableAnalyzer() : LaunchMethodAnalyzer(DiagnosticDescriptors.NotTransferable, LaunchRule.NotTransferable)
{
    protected override Diagnostic Create(IMethodSymbol method, LaunchKind kind, LaunchProblem problem)
    {
        TransferProblem transfer = problem.Transfer!;
        string what = problem.Parameter is { } parameter ? $"Parameter '{parameter.Name}'" : "The result";
        return Diagnostic.Create(DiagnosticDescriptors.NotTransferable, LocationOf(method, problem), what, method.Name, transfer.ToString(), transfer.Reason);
    }
}
