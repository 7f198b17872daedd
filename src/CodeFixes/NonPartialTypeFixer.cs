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
using ParallelDsl.Analyzers;

namespace ParallelDsl.CodeFixes;

/// <summary>PDSL0006: makes the method's type, and every type around it, partial.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NonPartialTypeFixer)), Shared]
internal sealed class NonPartialTypeFixer : DocumentFixer
{
    private const string EquivalenceKey = "PDSL0006.AddPartial";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.NonPartialType.Id];

    protected override IEnumerable<(string Title, string EquivalenceKey)> Fixes(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken) =>
        [("Make the containing types partial", EquivalenceKey)];

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, string? equivalenceKey, CancellationToken cancellationToken)
    {
        SyntaxNode node = editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan);
        foreach (TypeDeclarationSyntax type in node.AncestorsAndSelf().OfType<TypeDeclarationSyntax>())
        {
            // Two methods of one type each ask for it: the second replacement sees the type already partial.
            if (!type.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                editor.ReplaceNode(type, (current, generator) =>
                    generator.WithModifiers(current, generator.GetModifiers(current).WithPartial(true)));
            }
        }
    }
}
