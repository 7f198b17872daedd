using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using ParallelDsl.Analyzers;

namespace ParallelDsl.CodeFixes;

/// <summary>PDSL0009: makes a [RunInProcess] method static, when its body does not use the instance.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InstanceProcessMethodFixer)), Shared]
internal sealed class InstanceProcessMethodFixer : DocumentFixer
{
    private const string EquivalenceKey = "PDSL0009.MakeStatic";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.InstanceProcessMethod.Id];

    protected override IEnumerable<(string Title, string EquivalenceKey)> Fixes(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken) =>
        root.FindNode(diagnostic.Location.SourceSpan) is MethodDeclarationSyntax method && !UsesInstance(method, model, cancellationToken)
            ? [("Make the method static", EquivalenceKey)]
            : [];

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, string? equivalenceKey, CancellationToken cancellationToken)
    {
        if (editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan) is MethodDeclarationSyntax method
            && !UsesInstance(method, editor.SemanticModel, cancellationToken))
        {
            editor.ReplaceNode(method, (current, generator) =>
                generator.WithModifiers(current, generator.GetModifiers(current).WithIsStatic(true)));
        }
    }

    /// <summary>Whether the method's body reads or calls anything through <c>this</c>, which a static method cannot.</summary>
    private static bool UsesInstance(MethodDeclarationSyntax method, SemanticModel model, CancellationToken cancellationToken) =>
        model.GetOperation(method, cancellationToken) is { } body
        && body.Descendants().OfType<IInstanceReferenceOperation>().Any(reference => reference.ReferenceKind == InstanceReferenceKind.ContainingTypeInstance);
}
