using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>PDSL0006: the generator adds launchers to the method's type, so it and every type around it must be partial.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NonPartialTypeAnalyzer() : LaunchMethodAnalyzer(DiagnosticDescriptors.NonPartialType)
{
    protected override void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, LaunchKind kind, KnownSymbols known)
    {
        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (!SyntaxFacts.IsDeclaredPartial(type))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.NonPartialType, method.Locations[0], method.Name, KnownSymbols.AttributeName(kind), type.Name));
                return;
            }
        }
    }
}
