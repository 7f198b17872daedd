using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0014: the items of a queue or pipe cross between processes through the same generated codecs as the
/// arguments of a [RunInProcess] method, so an element type with no codec is an error at compile time rather than a
/// <c>NotSupportedException</c> when the queue is created. Reported where a queue or pipe is made or opened
/// (<c>new CrossProcessQueue&lt;T&gt;()</c>, <c>Pipe.Create&lt;T&gt;()</c>, <c>OpenHandle</c>), once per place.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NotTransferableElementAnalyzer() : ParallelDslAnalyzer(DiagnosticDescriptors.NotTransferableElement)
{
    protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        if (start.Compilation.GetTypeByMetadataName("ParallelDsl.Pipe") is null)
        {
            return;
        }

        RegisterFilteredOperationAction(start, IsCandidate, Analyze,
            SyntaxKind.ObjectCreationExpression, SyntaxKind.ImplicitObjectCreationExpression, SyntaxKind.InvocationExpression);
    }

    private static bool IsCandidate(SyntaxNode node) => node switch
    {
        ObjectCreationExpressionSyntax creation => IsQueueOrPipeName(creation.Type),
        ImplicitObjectCreationExpressionSyntax => true,
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } =>
            member.Name is GenericNameSyntax { Identifier.ValueText: "Create" }
            || (member.Name.Identifier.ValueText == "OpenHandle" && IsQueueOrPipeName(member.Expression)),
        _ => false,
    };

    private static bool IsQueueOrPipeName(SyntaxNode type) => type switch
    {
        GenericNameSyntax generic => generic.Identifier.ValueText is "CrossProcessQueue" or "PipeEnd",
        QualifiedNameSyntax qualified => IsQueueOrPipeName(qualified.Right),
        AliasQualifiedNameSyntax aliased => IsQueueOrPipeName(aliased.Name),
        MemberAccessExpressionSyntax member => IsQueueOrPipeName(member.Name),
        _ => false,
    };

    private static void Analyze(IOperation operation, SyntaxNodeAnalysisContext context)
    {
        ISymbol? container = operation switch
        {
            IObjectCreationOperation creation => creation.Type,
            IInvocationOperation { TargetMethod: { Name: "OpenHandle" } method } => method.ContainingType,
            IInvocationOperation invocation => invocation.TargetMethod,
            _ => null,
        };
        if (TransferableTypes.ElementTypeOf(container) is not { } element
            || TransferableTypes.DescribeElement(element, context.Compilation.Assembly, out TransferProblem? problem) != ElementEncoding.Unsupported)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotTransferableElement, TypeArgumentLocation(context.Node),
            Describe(container!), element.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), problem!.ToString(), problem.Reason));
    }

    private static string Describe(ISymbol container) => container is IMethodSymbol method
        ? $"Pipe.Create<{method.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}>()"
        : container.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    // The element type as written, where the code names it; else the whole creation (a target-typed new()).
    private static Location TypeArgumentLocation(SyntaxNode node)
    {
        foreach (SyntaxNode descendant in node.DescendantNodes(static n => n is not ArgumentListSyntax))
        {
            if (descendant is GenericNameSyntax { TypeArgumentList.Arguments.Count: 1 } generic)
            {
                return generic.TypeArgumentList.Arguments[0].GetLocation();
            }
        }

        return node.GetLocation();
    }
}
