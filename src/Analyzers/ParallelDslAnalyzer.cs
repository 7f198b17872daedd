using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
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

    /// <summary>Calls <paramref name="action"/> for every method marked [RunInThread] or [RunInProcess].</summary>
    protected static void RegisterLaunchMethodAction(
        CompilationStartAnalysisContext start, KnownSymbols known, Action<SymbolAnalysisContext, IMethodSymbol, LaunchKind> action) =>
        start.RegisterSymbolAction(context =>
        {
            var method = (IMethodSymbol)context.Symbol;
            LaunchKind kind = known.LaunchKindOf(method);
            if (kind != LaunchKind.None)
            {
                action(context, method, kind);
            }
        }, SymbolKind.Method);

    /// <summary>
    /// Calls <paramref name="action"/> with the operation of every node of <paramref name="kinds"/> that passes the
    /// syntactic <paramref name="filter"/>. Only those nodes are bound, which keeps the rules cheap in code that does
    /// not use threads or processes at all: the build binds method bodies for itself, and an operation action would
    /// make the analyzers bind every one of them a second time.
    /// </summary>
    protected static void RegisterFilteredOperationAction(
        CompilationStartAnalysisContext start, Func<SyntaxNode, bool> filter, Action<IOperation, SyntaxNodeAnalysisContext> action, params SyntaxKind[] kinds) =>
        start.RegisterSyntaxNodeAction(context =>
        {
            if (filter(context.Node) && context.SemanticModel.GetOperation(context.Node, context.CancellationToken) is { } operation)
            {
                action(operation, context);
            }
        }, kinds);
}
