using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using ParallelDsl.Analyzers;
using ParallelDsl.Roslyn;

namespace ParallelDsl.CodeFixes;

/// <summary>
/// PDSL0002: inserts <c>MainGuard.Enter(args);</c> as the first statement of the entry point, adds <c>string[] args</c>
/// to a <c>Main</c> without parameters, and removes a guard call that came too late.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MissingMainGuardFixer)), Shared]
internal sealed class MissingMainGuardFixer : DocumentFixer
{
    private const string EquivalenceKey = "PDSL0002.InsertMainGuard";
    private const string ArgsName = "args";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.MissingMainGuard.Id];

    protected override IEnumerable<(string Title, string EquivalenceKey)> Fixes(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken) =>
        [("Call MainGuard.Enter(args) first", EquivalenceKey)];

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, string? equivalenceKey, CancellationToken cancellationToken)
    {
        SyntaxNode node = editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan);
        if (node.FirstAncestorOrSelf<GlobalStatementSyntax>() is { } firstStatement)
        {
            RemoveLateGuards(editor, editor.OriginalRoot);
            editor.InsertBefore(firstStatement, SyntaxFactory.GlobalStatement(GuardCall(ArgsName)).WithLeadingTrivia(firstStatement.GetLeadingTrivia()));
            editor.ReplaceNode(firstStatement, (current, _) => current.WithoutLeadingTrivia());
        }
        else if (node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } main)
        {
            RemoveLateGuards(editor, main);
            editor.ReplaceNode(main, (current, _) => Guard((MethodDeclarationSyntax)current));
        }
    }

    // MainGuard is written as a simple name marked for import.
    protected override bool AddsImports(string? equivalenceKey) => true;

    private static MethodDeclarationSyntax Guard(MethodDeclarationSyntax main)
    {
        string args = main.ParameterList.Parameters.FirstOrDefault()?.Identifier.ValueText ?? ArgsName;
        if (main.ParameterList.Parameters.Count == 0)
        {
            main = main.WithParameterList(main.ParameterList.AddParameters(
                SyntaxFactory.Parameter(SyntaxFactory.Identifier(ArgsName)).WithType(SyntaxFactory.ParseTypeName("string[] "))));
        }

        BlockSyntax body = main.Body ?? ExpressionBodyAsBlock(main);
        return main
            .WithExpressionBody(null)
            .WithSemicolonToken(default)
            .WithBody(body.WithStatements(body.Statements.Insert(0, GuardCall(args))))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static BlockSyntax ExpressionBodyAsBlock(MethodDeclarationSyntax main)
    {
        ExpressionSyntax expression = main.ExpressionBody!.Expression;
        bool returnsValue = !(main.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }
                              || (main.Modifiers.Any(SyntaxKind.AsyncKeyword) && main.ReturnType is not GenericNameSyntax));
        return SyntaxFactory.Block(returnsValue
            ? SyntaxFactory.ReturnStatement(expression)
            : SyntaxFactory.ExpressionStatement(expression));
    }

    private static StatementSyntax GuardCall(string args) =>
        SyntaxFactory.ParseStatement($"global::{WellKnownNames.MainGuard}.{WellKnownNames.MainGuardEnter}({args});")
            .WithTrailingTrivia(SyntaxFactory.LineFeed)
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation, Formatter.Annotation);

    /// <summary>Removes guard calls that are already in the entry point but not first; the new one replaces them.</summary>
    private static void RemoveLateGuards(DocumentEditor editor, SyntaxNode scope)
    {
        foreach (ExpressionStatementSyntax statement in scope.DescendantNodes().OfType<ExpressionStatementSyntax>())
        {
            if (statement.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
                && access.Name.Identifier.ValueText == WellKnownNames.MainGuardEnter
                && editor.SemanticModel.GetSymbolInfo(access.Expression).Symbol is INamedTypeSymbol type
                && type.ToDisplayString() == WellKnownNames.MainGuard)
            {
                editor.RemoveNode(statement.Parent is GlobalStatementSyntax global ? global : statement, SyntaxRemoveOptions.KeepNoTrivia);
            }
        }
    }
}
