using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ParallelDsl.Analyzers;

/// <summary>
/// The common frame of the rules that check one <c>[RunInThread]</c> or <c>[RunInProcess]</c> method declaration:
/// the attributes are resolved once per compilation, and only marked methods reach <see cref="AnalyzeMethod"/>.
/// </summary>
internal abstract class LaunchMethodAnalyzer : DiagnosticAnalyzer
{
    private readonly ImmutableArray<DiagnosticDescriptor> _supported;

    protected LaunchMethodAnalyzer(DiagnosticDescriptor descriptor)
    {
        _supported = [descriptor];
    }

    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => _supported;

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            KnownSymbols known = KnownSymbols.Create(start.Compilation);
            if (known.RunInThreadAttribute is null && known.RunInProcessAttribute is null)
            {
                return;
            }

            start.RegisterSymbolAction(symbolContext =>
            {
                var method = (IMethodSymbol)symbolContext.Symbol;
                LaunchKind kind = known.LaunchKindOf(method);
                if (kind != LaunchKind.None)
                {
                    AnalyzeMethod(symbolContext, method, kind, known);
                }
            }, SymbolKind.Method);
        });
    }

    /// <summary>Checks one method marked <paramref name="kind"/>.</summary>
    protected abstract void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, LaunchKind kind, KnownSymbols known);
}
