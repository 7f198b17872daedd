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
/// so they are applied together through one editor rather than merged as independent text changes. This class owns
/// that editor, the loop over the diagnostics and the using directives the fix needs; a fixer says how to fix one.
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

    /// <summary>
    /// Applies the fix named by <paramref name="equivalenceKey"/> to every diagnostic of <paramref name="diagnostics"/>
    /// it applies to, through one editor, then adds the using directives that names marked with
    /// <see cref="Simplifier.AddImportsAnnotation"/> need when <see cref="AddsImports"/> says the fix makes any.
    /// </summary>
    private async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        Fix(editor, diagnostics, equivalenceKey, cancellationToken);
        Document changed = editor.GetChangedDocument();
        return AddsImports(equivalenceKey)
            ? await ImportAdder.AddImportsAsync(changed, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false)
            : changed;
    }

    /// <summary>
    /// Fixes each diagnostic in turn. A fixer whose fixes of one document must be planned together (one lock field
    /// for several writes) overrides this.
    /// </summary>
    protected virtual void Fix(DocumentEditor editor, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        foreach (Diagnostic diagnostic in diagnostics)
        {
            Fix(editor, diagnostic, equivalenceKey, cancellationToken);
        }
    }

    /// <summary>
    /// Records in <paramref name="editor"/> the fix named by <paramref name="equivalenceKey"/> for
    /// <paramref name="diagnostic"/>, or nothing when it does not apply. Nodes are found in
    /// <see cref="SyntaxEditor.OriginalRoot"/>; several fixes may replace the same node.
    /// </summary>
    protected abstract void Fix(DocumentEditor editor, Diagnostic diagnostic, string? equivalenceKey, CancellationToken cancellationToken);

    /// <summary>Whether the fix named by <paramref name="equivalenceKey"/> writes names that need using directives.</summary>
    protected virtual bool AddsImports(string? equivalenceKey) => false;
}
