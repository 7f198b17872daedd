using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>PDSL0012: the parent sizes a shared array's memory before any worker starts, so the size must be known at compile time.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class SharedArrayWithoutLengthAnalyzer() : SharedValuePropertyAnalyzer(DiagnosticDescriptors.SharedArrayWithoutLength)
{
    protected override void AnalyzeProperty(SymbolAnalysisContext context, IPropertySymbol property, AttributeData attribute, KnownSymbols known)
    {
        if (KnownSymbols.Is(property.Type, known.SharedArray) && !HasPositiveLength(attribute) && attribute.ApplicationSyntaxReference is { } syntax)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.SharedArrayWithoutLength, Location.Create(syntax.SyntaxTree, syntax.Span), property.Name));
        }
    }

    private static bool HasPositiveLength(AttributeData attribute)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == WellKnownNames.SharedArrayLength)
            {
                return argument.Value.Value is int length && length > 0;
            }
        }

        return false;
    }
}
