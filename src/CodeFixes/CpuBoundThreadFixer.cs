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
using ParallelDsl.Analyzers.Rules;
using ParallelDsl.Roslyn;

namespace ParallelDsl.CodeFixes;

/// <summary>
/// PDSL0003: moves CPU-bound work from a thread to a child process by switching [RunInThread] to [RunInProcess].
/// Offered only when the analyzer found the method ready for it: static, not generic, every argument and the result
/// able to cross a process boundary. <c>MaxConcurrency</c>, which processes do not have, is dropped.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CpuBoundThreadFixer)), Shared]
internal sealed class CpuBoundThreadFixer : DocumentFixer
{
    private const string EquivalenceKey = "PDSL0003.RunInProcess";
    private const string ThreadName = "RunInThread";
    private const string ProcessName = "RunInProcess";
    private const string AttributeSuffix = "Attribute";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.CpuBoundThread.Id];

    protected override IEnumerable<(string Title, string EquivalenceKey)> Fixes(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken) =>
        diagnostic.Properties.ContainsKey(CpuBoundThreadAnalyzer.CanRunInProcessProperty)
            ? [("Run it in a child process with [RunInProcess]", EquivalenceKey)]
            : [];

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, string? equivalenceKey, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.ContainsKey(CpuBoundThreadAnalyzer.CanRunInProcessProperty)
            || editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan) is not MethodDeclarationSyntax method)
        {
            return;
        }

        foreach (AttributeSyntax attribute in method.AttributeLists.SelectMany(list => list.Attributes))
        {
            if (editor.SemanticModel.GetSymbolInfo(attribute, cancellationToken).Symbol?.ContainingType.ToDisplayString() == WellKnownNames.RunInThreadAttribute)
            {
                editor.ReplaceNode(attribute, ToProcess(attribute));
            }
        }
    }

    private static AttributeSyntax ToProcess(AttributeSyntax attribute)
    {
        NameSyntax name = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.WithRight(Rename(qualified.Right)),
            AliasQualifiedNameSyntax alias => alias.WithName(Rename(alias.Name)),
            SimpleNameSyntax simple => Rename(simple),
            var other => other,
        };
        AttributeArgumentListSyntax? arguments = attribute.ArgumentList;
        if (arguments is not null)
        {
            var kept = SyntaxFactory.SeparatedList(arguments.Arguments.Where(a => a.NameEquals?.Name.Identifier.ValueText != "MaxConcurrency"));
            arguments = kept.Count == 0 ? null : arguments.WithArguments(kept);
        }

        return attribute.WithName(name).WithArgumentList(arguments);
    }

    private static SimpleNameSyntax Rename(SimpleNameSyntax name)
    {
        string text = name.Identifier.ValueText == ThreadName + AttributeSuffix ? ProcessName + AttributeSuffix : ProcessName;
        return name.WithIdentifier(SyntaxFactory.Identifier(text).WithTriviaFrom(name.Identifier));
    }
}
