using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ParallelDsl.Analyzers;

/// <summary>The common frame of the rules that check a <c>[SharedValue]</c> property declaration.</summary>
internal abstract class SharedValuePropertyAnalyzer : DiagnosticAnalyzer
{
    private readonly ImmutableArray<DiagnosticDescriptor> _supported;

    protected SharedValuePropertyAnalyzer(DiagnosticDescriptor descriptor)
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
            if (known.SharedValueAttribute is null)
            {
                return;
            }

            start.RegisterSymbolAction(symbolContext =>
            {
                var property = (IPropertySymbol)symbolContext.Symbol;
                foreach (AttributeData attribute in property.GetAttributes())
                {
                    if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.SharedValueAttribute))
                    {
                        AnalyzeProperty(symbolContext, property, attribute, known);
                        return;
                    }
                }
            }, SymbolKind.Property);
        });
    }

    /// <summary>Checks one property that carries <paramref name="attribute"/>, the [SharedValue] attribute.</summary>
    protected abstract void AnalyzeProperty(SymbolAnalysisContext context, IPropertySymbol property, AttributeData attribute, KnownSymbols known);
}
