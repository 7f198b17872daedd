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

    /// <summary>Offers the fix of <paramref name="diagnostic"/> named <paramref name="title"/>, with <paramref name="equivalenceKey"/> for Fix All.</summary>
    protected void Offer(CodeFixContext context, Diagnostic diagnostic, string title, string equivalenceKey) =>
        context.RegisterCodeFix(
            CodeAction.Create(title, cancellationToken => FixAsync(context.Document, [diagnostic], equivalenceKey, cancellationToken), equivalenceKey),
            diagnostic);

    /// <summary>Adds the using directives that names marked with <see cref="Simplifier.AddImportsAnnotation"/> need.</summary>
    protected static Task<Document> WithImportsAsync(Document document, CancellationToken cancellationToken) =>
        ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken);

    /// <summary>Applies the fix named by <paramref name="equivalenceKey"/> to every diagnostic in <paramref name="diagnostics"/> it applies to.</summary>
    protected abstract Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken);
}
