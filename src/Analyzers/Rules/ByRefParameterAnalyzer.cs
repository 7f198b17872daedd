using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>PDSL0008: ref, out, in and pointer parameters point into the caller's stack, which the launched method cannot reach.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ByRefParameterAnalyzer() : LaunchMethodAnalyzer(DiagnosticDescriptors.ByRefParameter)
{
    protected override void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, LaunchKind kind, KnownSymbols known)
    {
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (Describe(parameter) is { } problem && parameter.Locations.Length > 0)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.ByRefParameter, parameter.Locations[0], parameter.Name, KnownSymbols.AttributeName(kind), method.Name, problem));
            }
        }
    }

    /// <summary>What makes <paramref name="parameter"/> unusable by a launched method, or <see langword="null"/>.</summary>
    public static string? Describe(IParameterSymbol parameter) => parameter.RefKind switch
    {
        RefKind.Ref => "passed by ref",
        RefKind.Out => "an out parameter",
        RefKind.In => "an in parameter",
        RefKind.RefReadOnlyParameter => "passed by ref readonly",
        _ => parameter.Type is IPointerTypeSymbol or IFunctionPointerTypeSymbol ? "a pointer" : null,
    };
}
