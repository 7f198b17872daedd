using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers;

/// <summary>
/// The frame of the rules about one <c>[RunInThread]</c> or <c>[RunInProcess]</c> method declaration. What is wrong
/// with a method is decided once, by <see cref="LaunchTarget"/> (which the generator uses too); each rule reports the
/// problems of its own <see cref="LaunchRule"/>.
/// </summary>
internal abstract class LaunchMethodAnalyzer(DiagnosticDescriptor descriptor, LaunchRule rule) : ParallelDslAnalyzer(descriptor)
{
    protected sealed override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        if (known.RunInThreadAttribute is null && known.RunInProcessAttribute is null)
        {
            return;
        }

        IAssemblySymbol within = start.Compilation.Assembly;
        RegisterLaunchMethodAction(start, known, (context, method, kind) =>
        {
            foreach (LaunchProblem problem in LaunchTarget.Check(method, kind == LaunchKind.Process, within))
            {
                if (problem.Rule == rule)
                {
                    context.ReportDiagnostic(Create(method, kind, problem));
                }
            }
        });

        // Symbol actions never see local functions; their attributes are found in the syntax.
        start.RegisterSyntaxNodeAction(context =>
        {
            var function = (LocalFunctionStatementSyntax)context.Node;
            if (function.AttributeLists.Count > 0
                && context.SemanticModel.GetDeclaredSymbol(function, context.CancellationToken) is IMethodSymbol method
                && known.LaunchKindOf(method) is var kind and not LaunchKind.None)
            {
                foreach (LaunchProblem problem in LaunchTarget.Check(method, kind == LaunchKind.Process, within))
                {
                    if (problem.Rule == rule)
                    {
                        context.ReportDiagnostic(Create(method, kind, problem));
                    }
                }
            }
        }, SyntaxKind.LocalFunctionStatement);
    }

    /// <summary>The diagnostic of one <paramref name="problem"/> of this rule in <paramref name="method"/>, marked <paramref name="kind"/>.</summary>
    protected abstract Diagnostic Create(IMethodSymbol method, LaunchKind kind, LaunchProblem problem);

    /// <summary>Where a problem is shown: its parameter, the method's return type for its result, else the method's name.</summary>
    protected static Location LocationOf(IMethodSymbol method, LaunchProblem problem)
    {
        if (problem.Parameter is { Locations.Length: > 0 } parameter)
        {
            return parameter.Locations[0];
        }

        if (problem.OnResult)
        {
            foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
            {
                switch (reference.GetSyntax())
                {
                    case MethodDeclarationSyntax declaration:
                        return declaration.ReturnType.GetLocation();
                    case LocalFunctionStatementSyntax function:
                        return function.ReturnType.GetLocation();
                }
            }
        }

        return method.Locations[0];
    }
}
