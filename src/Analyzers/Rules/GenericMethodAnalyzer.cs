using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>PDSL0007: a launcher and a dispatch entry need concrete parameter types.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class GenericMethodAnalyzer() : LaunchMethodAnalyzer(DiagnosticDescriptors.GenericMethod)
{
    protected override void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, LaunchKind kind, KnownSymbols known)
    {
        if (method.IsGenericMethod)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.GenericMethod, method.Locations[0], method.Name, KnownSymbols.AttributeName(kind)));
        }
    }
}
