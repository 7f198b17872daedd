using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0011: the generator implements a [SharedValue] property over shared memory that the whole program maps, so
/// it must be a static partial property of a shared-memory type.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class InvalidSharedValueAnalyzer() : SharedValuePropertyAnalyzer(DiagnosticDescriptors.InvalidSharedValue)
{
    protected override void AnalyzeProperty(SymbolAnalysisContext context, IPropertySymbol property, AttributeData attribute, KnownSymbols known)
    {
        var problems = new List<string>();
        if (!property.IsStatic)
        {
            problems.Add("it is not static");
        }

        if (!SyntaxFacts.IsDeclaredPartial(property))
        {
            problems.Add("it is not partial");
        }

        if (!known.IsSharedMemoryType(property.Type))
        {
            problems.Add($"its type is '{property.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}'");
        }

        if (problems.Count > 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.InvalidSharedValue, property.Locations[0], property.Name, string.Join(", ", problems)));
        }
    }
}
