using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>PDSL0009: a child process starts from nothing, so it has no instance to call a method on.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class InstanceProcessMethodAnalyzer() : LaunchMethodAnalyzer(DiagnosticDescriptors.InstanceProcessMethod)
{
    protected override void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, LaunchKind kind, KnownSymbols known)
    {
        if (kind == LaunchKind.Process && !method.IsStatic)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InstanceProcessMethod, method.Locations[0], method.Name));
        }
    }
}
