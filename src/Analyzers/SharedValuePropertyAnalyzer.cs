using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ParallelDsl.Analyzers;

/// <summary>The frame of the rules that check a <c>[SharedValue]</c> property declaration.</summary>
internal abstract class SharedValuePropertyAnalyzer(DiagnosticDescriptor descriptor) : ParallelDslAnalyzer(descriptor)
{
    protected sealed override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        if (known.SharedValueAttribute is null)
        {
            return;
        }

        start.RegisterSymbolAction(context =>
        {
            var property = (IPropertySymbol)context.Symbol;
            foreach (AttributeData attribute in property.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.SharedValueAttribute))
                {
                    AnalyzeProperty(context, property, attribute, known);
                    return;
                }
            }
        }, SymbolKind.Property);
    }

    /// <summary>Checks one property that carries <paramref name="attribute"/>, the [SharedValue] attribute.</summary>
    protected abstract void AnalyzeProperty(SymbolAnalysisContext context, IPropertySymbol property, AttributeData attribute, KnownSymbols known);
}
