using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ParallelDsl.Analyzers;

/// <summary>
/// The frame every ParallelDsl rule shares: concurrent execution, no analysis of generated code, and the well-known
/// symbols resolved once per compilation before the rule registers its actions.
/// </summary>
internal abstract class ParallelDslAnalyzer(DiagnosticDescriptor descriptor) : DiagnosticAnalyzer
{
    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [descriptor];

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start => OnCompilationStart(start, KnownSymbols.Create(start.Compilation)));
    }

    /// <summary>Registers the rule's actions for one compilation, or none when the compilation cannot break the rule.</summary>
    protected abstract void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known);
}
