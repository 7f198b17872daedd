using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0009: a child process starts from nothing, so an instance method runs there on a copy of its object, sent
/// through the type's codec as pickle sends a bound method's object; a type with no codec, or whose codec would leave
/// some of the object's state behind (a private field), leaves the child nothing faithful to call the method on.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class InstanceProcessMethodAnalyzer() : LaunchMethodAnalyzer(DiagnosticDescriptors.InstanceProcessMethod)
{
    protected override void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, LaunchKind kind, KnownSymbols known)
    {
        if (kind == LaunchKind.Process && !method.IsStatic
            && TransferableTypes.WhyNotWhollyCopied(method.ContainingType, context.Compilation.Assembly) is { } why)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InstanceProcessMethod, method.Locations[0],
                method.Name, method.ContainingType.Name, why));
        }
    }
}
