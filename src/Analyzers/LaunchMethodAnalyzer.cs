using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ParallelDsl.Analyzers;

/// <summary>The frame of the rules that check one <c>[RunInThread]</c> or <c>[RunInProcess]</c> method declaration.</summary>
internal abstract class LaunchMethodAnalyzer(DiagnosticDescriptor descriptor) : ParallelDslAnalyzer(descriptor)
{
    protected sealed override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        if (known.RunInThreadAttribute is null && known.RunInProcessAttribute is null)
        {
            return;
        }

        start.RegisterSymbolAction(context =>
        {
            var method = (IMethodSymbol)context.Symbol;
            LaunchKind kind = known.LaunchKindOf(method);
            if (kind != LaunchKind.None)
            {
                AnalyzeMethod(context, method, kind, known);
            }
        }, SymbolKind.Method);
    }

    /// <summary>Checks one method marked <paramref name="kind"/>.</summary>
    protected abstract void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, LaunchKind kind, KnownSymbols known);
}
