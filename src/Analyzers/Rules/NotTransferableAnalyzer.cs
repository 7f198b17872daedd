using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0005: every argument and the result of a [RunInProcess] method is copied through a generated codec; a type
/// with no codec is an error at compile time rather than a failure in the child.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NotTransferableAnalyzer() : LaunchMethodAnalyzer(DiagnosticDescriptors.NotTransferable)
{
    protected override void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, LaunchKind kind, KnownSymbols known)
    {
        // A generic method has its own rule (PDSL0007): its open type parameters are not a second mistake.
        if (kind != LaunchKind.Process || method.IsGenericMethod)
        {
            return;
        }

        IAssemblySymbol within = context.Compilation.Assembly;
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            // By-ref and pointer parameters have their own rule (PDSL0008); one error per mistake is enough.
            if (ByRefParameterAnalyzer.Describe(parameter) is null
                && parameter.Locations.Length > 0
                && TransferableTypes.FindProblem(parameter.Type, within) is { } problem)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotTransferable, parameter.Locations[0],
                    $"Parameter '{parameter.Name}'", method.Name, problem.ToString(), problem.Reason));
            }
        }

        if (known.ResultType(method) is { } result
            && TransferableTypes.FindProblem(result, within) is { } resultProblem)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotTransferable, ReturnTypeLocation(method),
                "The result", method.Name, resultProblem.ToString(), resultProblem.Reason));
        }
    }

    private static Location ReturnTypeLocation(IMethodSymbol method)
    {
        foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is MethodDeclarationSyntax declaration)
            {
                return declaration.ReturnType.GetLocation();
            }
        }

        return method.Locations[0];
    }
}
