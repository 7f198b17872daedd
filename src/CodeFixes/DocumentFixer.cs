using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace ParallelDsl.CodeFixes;

/// <summary>
/// A fixer whose single fix and Fix All share one implementation that fixes every given diagnostic of a document in
/// one pass. Fixes of one document can touch the same node (two writes in one statement, one lock field for a type),
/// so they are applied together through one editor rather than merged as independent text changes.
/// </summary>
internal abstract class DocumentFixer : CodeFixProvider
{
    public sealed override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create((context, document, diagnostics) =>
            FixAsync(document, diagnostics, context.CodeActionEquivalenceKey, context.CancellationToken)!);

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            foreach ((string title, string equivalenceKey) in Fixes(diagnostic, root, model, context.CancellationToken))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(title, cancellationToken => FixAsync(context.Document, [diagnostic], equivalenceKey, cancellationToken), equivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The fixes that apply to <paramref name="diagnostic"/>: each one's title and equivalence key.</summary>
    protected abstract IEnumerable<(string Title, string EquivalenceKey)> Fixes(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken);

    /// <summary>Adds the using directives that names marked with <see cref="Simplifier.AddImportsAnnotation"/> need.</summary>
    protected static Task<Document> WithImportsAsync(Document document, CancellationToken cancellationToken) =>
        ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken);

    /// <summary>Applies the fix named by <paramref name="equivalenceKey"/> to every diagnostic in <paramref name="diagnostics"/> it applies to.</summary>
    protected abstract Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken);
}
