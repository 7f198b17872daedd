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

        RegisterLaunchMethodAction(start, known, (context, method, kind) => AnalyzeMethod(context, method, kind, known));
    }

    /// <summary>Checks one method marked <paramref name="kind"/>.</summary>
    protected abstract void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, LaunchKind kind, KnownSymbols known);
}
