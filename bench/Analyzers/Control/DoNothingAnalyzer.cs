using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ParallelDsl.Benchmarks.ControlAnalyzer;

/// <summary>
/// Registers the same kinds of actions as the ParallelDsl analyzers (per compilation, per method symbol, per
/// invocation, creation and assignment, at compilation end) and does nothing in them: what the compiler spends on it
/// is the analyzer driver's cost, which any analyzer pays and which the benchmark subtracts.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DoNothingAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new(
        "CONTROL0001", "Never reported", "Never reported", "Control", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Never];

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            start.RegisterSymbolAction(_ => { }, SymbolKind.Method, SymbolKind.Property);
            start.RegisterSyntaxNodeAction(_ => { }, SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression,
                SyntaxKind.SimpleAssignmentExpression, SyntaxKind.AddAssignmentExpression, SyntaxKind.PostIncrementExpression);
            start.RegisterCompilationEndAction(_ => { });
        });
    }
}
