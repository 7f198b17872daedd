using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0002: a worker process is a fresh start of the same program, so a program that starts workers must let
/// <c>MainGuard.Enter(args)</c> take over before anything else runs in its entry point — or every worker would run
/// the whole program again.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class MissingMainGuardAnalyzer() : ParallelDslAnalyzer(DiagnosticDescriptors.MissingMainGuard)
{
    protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        Compilation compilation = start.Compilation;
        if (known.MainGuard is null || !IsProgram(compilation))
        {
            return;
        }

        var startsWorkers = new Lazy<bool>(() => StartsWorkers(compilation, known, start.CancellationToken));
        start.RegisterSyntaxNodeAction(context =>
        {
            var main = (MethodDeclarationSyntax)context.Node;
            if (main.Identifier.ValueText == WellKnownMemberNames.EntryPointMethodName
                && SymbolEqualityComparer.Default.Equals(context.SemanticModel.GetDeclaredSymbol(main, context.CancellationToken), compilation.GetEntryPoint(context.CancellationToken)))
            {
                StatementSyntax? first = main.Body?.Statements.FirstOrDefault(s => s is not LocalFunctionStatementSyntax);
                if ((first is null || !IsGuardCall(first, context, known)) && startsWorkers.Value)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingMainGuard, main.Identifier.GetLocation(), main.Identifier.ValueText));
                }
            }
        }, SyntaxKind.MethodDeclaration);
        start.RegisterSyntaxNodeAction(context =>
        {
            // Local functions of top-level statements are declarations, not statements that run first.
            StatementSyntax? first = ((CompilationUnitSyntax)context.Node).Members.OfType<GlobalStatementSyntax>()
                .Select(global => global.Statement)
                .FirstOrDefault(statement => statement is not LocalFunctionStatementSyntax);
            if (first is not null
                && compilation.GetEntryPoint(context.CancellationToken)?.Name == WellKnownMemberNames.TopLevelStatementsEntryPointMethodName
                && !IsGuardCall(first, context, known)
                && startsWorkers.Value)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingMainGuard, first.GetLocation(), "top-level statements"));
            }
        }, SyntaxKind.CompilationUnit);
    }

    /// <summary>Whether the compilation builds a program of its own: not a library, not a test assembly run by a test host.</summary>
    private static bool IsProgram(Compilation compilation)
    {
        if (compilation.Options.OutputKind is not (OutputKind.ConsoleApplication or OutputKind.WindowsApplication))
        {
            return false;
        }

        foreach (string marker in WellKnownNames.TestFrameworkMarkers)
        {
            if (compilation.GetTypeByMetadataName(marker) is not null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="statement"/> is <c>MainGuard.Enter(…);</c>.</summary>
    private static bool IsGuardCall(StatementSyntax statement, SyntaxNodeAnalysisContext context, KnownSymbols known) =>
        statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax }
        && context.SemanticModel.GetOperation(statement, context.CancellationToken) is IExpressionStatementOperation { Operation: IInvocationOperation invocation }
        && invocation.TargetMethod.Name == WellKnownNames.MainGuardEnter
        && KnownSymbols.Is(invocation.TargetMethod.ContainingType, known.MainGuard);

    /// <summary>Whether the program declares a [RunInProcess] method or names the process pool type.</summary>
    private static bool StartsWorkers(Compilation compilation, KnownSymbols known, CancellationToken cancellationToken) =>
        DeclaresProcessMethod(compilation.Assembly.GlobalNamespace, known, cancellationToken)
        || (known.ProcessPool is not null && NamesProcessPool(compilation, known.ProcessPool, cancellationToken));

    private static bool DeclaresProcessMethod(INamespaceOrTypeSymbol container, KnownSymbols known, CancellationToken cancellationToken)
    {
        foreach (ISymbol member in container.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (member)
            {
                case INamespaceOrTypeSymbol nested when DeclaresProcessMethod(nested, known, cancellationToken):
                case IMethodSymbol method when known.LaunchKindOf(method) == LaunchKind.Process:
                    return true;
            }
        }

        return false;
    }

    private static bool NamesProcessPool(Compilation compilation, INamedTypeSymbol processPool, CancellationToken cancellationToken)
    {
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            SemanticModel? model = null;
            foreach (SyntaxNode node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                if (node is IdentifierNameSyntax { Identifier.ValueText: var name } identifier && name == processPool.Name)
                {
#pragma warning disable RS1030 // Only trees that spell the pool's name are bound, once, through the driver's shared model.
                    model ??= compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
                    if (SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, processPool))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
