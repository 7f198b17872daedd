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
using ParallelDsl.Analyzers.Rules;

namespace ParallelDsl.CodeFixes;

/// <summary>
/// PDSL0001: guards a racy write. "Wrap in a lock" puts the statement in <c>lock</c> over a readonly lock object of the
/// type (added when the type has none; static when the field or the code is static); for a
/// <c>Shared&lt;T&gt;.Value</c> or a <c>SharedArray&lt;T&gt;</c> element it uses the value's own <c>Lock()</c> scope. "Use Interlocked" turns <c>x++</c>,
/// <c>x--</c>, <c>x += n</c> and <c>x -= n</c> on an int or long field into the matching atomic call.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnguardedSharedStateFixer)), Shared]
internal sealed class UnguardedSharedStateFixer : DocumentFixer
{
    public const string LockKey = "PDSL0001.Lock";
    public const string InterlockedKey = "PDSL0001.Interlocked";

    private const string StaticLockName = "StateLock";
    private const string InstanceLockName = "_stateLock";
    private const string InterlockedType = "global::System.Threading.Interlocked";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.UnguardedSharedState.Id];

    protected override IEnumerable<(string Title, string EquivalenceKey)> Fixes(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (diagnostic.Properties.ContainsKey(UnguardedSharedStateAnalyzer.InterlockedProperty))
        {
            yield return ("Use Interlocked", InterlockedKey);
        }

        if (Plan(root, model, diagnostic, cancellationToken) is { } plan)
        {
            yield return (plan.SharedValue is null ? "Wrap in a lock" : $"Write it inside {plan.SharedValue}.Lock()", LockKey);
        }
    }

    // The locks of one document are planned together: nested regions, one lock field per type.
    protected override void Fix(DocumentEditor editor, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        if (equivalenceKey == InterlockedKey)
        {
            base.Fix(editor, diagnostics, equivalenceKey, cancellationToken);
            return;
        }

        LockAll(editor, diagnostics, cancellationToken);
    }

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, string? equivalenceKey, CancellationToken cancellationToken)
    {
        if (diagnostic.Properties.ContainsKey(UnguardedSharedStateAnalyzer.InterlockedProperty)
            && editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is ExpressionSyntax target
            && target.Parent is ExpressionSyntax write)
        {
            editor.ReplaceNode(write, InterlockedCall(write, target).WithTriviaFrom(write));
        }
    }

    // Interlocked is written as a simple name marked for import.
    protected override bool AddsImports(string? equivalenceKey) => equivalenceKey == InterlockedKey;

    private static void LockAll(DocumentEditor editor, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var plans = new List<LockPlan>();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            if (Plan(editor.OriginalRoot, editor.SemanticModel, diagnostic, cancellationToken) is { } plan
                && plans.All(p => p.Region != plan.Region))
            {
                plans.Add(plan);
            }
        }

        var fields = new Dictionary<(TypeDeclarationSyntax Type, bool Static), string>();
        foreach (LockPlan plan in plans)
        {
            // Wrapping an outer region already guards the writes inside it.
            if (plans.Any(other => other.Region != plan.Region && other.Region.Span.Contains(plan.Region.Span)))
            {
                continue;
            }

            ExpressionSyntax guard = plan.SharedValue is { } shared
                ? SyntaxFactory.ParseExpression($"{shared}.Lock()")
                : SyntaxFactory.IdentifierName(LockField(editor, plan, fields));
            editor.ReplaceNode(plan.Region, (current, _) => Wrap(current, guard, plan).WithAdditionalAnnotations(Formatter.Annotation));
        }

        foreach (KeyValuePair<(TypeDeclarationSyntax Type, bool Static), string> field in fields)
        {
            editor.InsertMembers(field.Key.Type, 0,
            [
                editor.Generator.FieldDeclaration(field.Value, editor.Generator.TypeExpression(SpecialType.System_Object), Accessibility.Private,
                    DeclarationModifiers.ReadOnly.WithIsStatic(field.Key.Static), SyntaxFactory.ImplicitObjectCreationExpression()),
            ]);
        }
    }

    /// <summary>What to wrap for one diagnostic and how, or <see langword="null"/> when a lock cannot be added there.</summary>
    private static LockPlan? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax target
            || target.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
        {
            return null;
        }

        // A shared value or array is guarded across processes by its own Lock(), never by a lock object of this process.
        string? shared = !diagnostic.Properties.ContainsKey(UnguardedSharedStateAnalyzer.SharedValueProperty) ? null : target switch
        {
            MemberAccessExpressionSyntax access => access.Expression.ToString(),
            ElementAccessExpressionSyntax element => element.Expression.ToString(),
            _ => null,
        };
        if (shared is null && diagnostic.Properties.ContainsKey(UnguardedSharedStateAnalyzer.SharedValueProperty))
        {
            return null;
        }
        foreach (SyntaxNode node in target.Ancestors())
        {
            switch (node)
            {
                // A lock block would end the variable's scope: the user has to split the declaration.
                case LocalDeclarationStatementSyntax:
                    return null;
                case StatementSyntax statement and not BlockSyntax:
                    return new LockPlan(statement, type, NeedsStaticLock(model, target, cancellationToken), shared, ReturnsValue: false);
                case ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax or LocalFunctionStatementSyntax } arrow:
                    return new LockPlan(arrow.Parent!, type, NeedsStaticLock(model, target, cancellationToken), shared,
                        ReturnsValue(model.GetDeclaredSymbol(arrow.Parent!, cancellationToken) as IMethodSymbol));
                case LambdaExpressionSyntax { ExpressionBody: not null } lambda:
                    return new LockPlan(lambda, type, NeedsStaticLock(model, target, cancellationToken), shared,
                        ReturnsValue(model.GetSymbolInfo(lambda, cancellationToken).Symbol as IMethodSymbol));
                case MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private static bool ReturnsValue(IMethodSymbol? method) =>
        method is { ReturnsVoid: false } && !(method.IsAsync && method.ReturnType is INamedTypeSymbol { IsGenericType: false });

    private static bool NeedsStaticLock(SemanticModel model, ExpressionSyntax target, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(target, cancellationToken).Symbol is IFieldSymbol { IsStatic: true })
        {
            return true;
        }

        ISymbol? member = model.GetEnclosingSymbol(target.SpanStart, cancellationToken);
        while (member is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            member = member.ContainingSymbol;
        }

        return member is null || member.IsStatic;
    }

    /// <summary>The lock object field to use for <paramref name="plan"/>: an existing readonly one, or a new one.</summary>
    private static string LockField(DocumentEditor editor, LockPlan plan, Dictionary<(TypeDeclarationSyntax Type, bool Static), string> created)
    {
        if (created.TryGetValue((plan.Type, plan.StaticLock), out string? name))
        {
            return name;
        }

        INamedTypeSymbol type = (INamedTypeSymbol)editor.SemanticModel.GetDeclaredSymbol(plan.Type)!;
        IFieldSymbol? existing = type.GetMembers().OfType<IFieldSymbol>()
            .Where(f => f.IsReadOnly && (f.IsStatic || !plan.StaticLock)
                        && (f.Type.SpecialType == SpecialType.System_Object || f.Type.ToDisplayString() == "System.Threading.Lock"))
            .OrderBy(f => f.IsStatic == plan.StaticLock ? 0 : 1)
            .FirstOrDefault();
        if (existing is not null)
        {
            return existing.Name;
        }

        string baseName = plan.StaticLock ? StaticLockName : InstanceLockName;
        name = baseName;
        for (int suffix = 2; type.MemberNames.Contains(name); suffix++)
        {
            name = baseName + suffix;
        }

        created[(plan.Type, plan.StaticLock)] = name;
        return name;
    }

    private static SyntaxNode Wrap(SyntaxNode region, ExpressionSyntax guard, LockPlan plan)
    {
        switch (region)
        {
            case MethodDeclarationSyntax method:
                return method.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(SyntaxFactory.Block(Guarded(AsStatement(method.ExpressionBody!.Expression, plan), guard, plan)));
            case LocalFunctionStatementSyntax local:
                return local.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(SyntaxFactory.Block(Guarded(AsStatement(local.ExpressionBody!.Expression, plan), guard, plan)));
            case LambdaExpressionSyntax lambda:
                // The formatter keeps a new block inside an argument on one line; laying it out first gives it lines.
                return lambda.WithExpressionBody(null)
                    .WithBlock(SyntaxFactory.Block(Guarded(AsStatement(lambda.ExpressionBody!, plan), guard, plan)).NormalizeWhitespace(eol: plan.EndOfLine));
            default:
                var statement = (StatementSyntax)region;
                return Guarded(statement.WithoutLeadingTrivia(), guard, plan).WithLeadingTrivia(statement.GetLeadingTrivia());
        }
    }

    private static StatementSyntax AsStatement(ExpressionSyntax expression, LockPlan plan) =>
        plan.ReturnsValue ? SyntaxFactory.ReturnStatement(expression) : SyntaxFactory.ExpressionStatement(expression);

    private static StatementSyntax Guarded(StatementSyntax statement, ExpressionSyntax guard, LockPlan plan) =>
        plan.SharedValue is null
            ? SyntaxFactory.LockStatement(guard, SyntaxFactory.Block(statement))
            : SyntaxFactory.UsingStatement(null, guard, SyntaxFactory.Block(statement));

    private static InvocationExpressionSyntax InterlockedCall(ExpressionSyntax write, ExpressionSyntax target)
    {
        (string method, ExpressionSyntax? value) = write switch
        {
            PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression } => ("Increment", null),
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression } => ("Increment", null),
            PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax => ("Decrement", null),
            AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression } add => ("Add", add.Right),
            // The analyzer offers Interlocked for ++, --, += and -= only, so what is left is -=.
            _ => ("Add", SyntaxFactory.PrefixUnaryExpression(SyntaxKind.UnaryMinusExpression,
                SyntaxFactory.ParenthesizedExpression(((AssignmentExpressionSyntax)write).Right).WithAdditionalAnnotations(Simplifier.Annotation))),
        };

        var arguments = new List<ArgumentSyntax>
        {
            SyntaxFactory.Argument(target.WithoutTrivia()).WithRefKindKeyword(SyntaxFactory.Token(SyntaxKind.RefKeyword)),
        };
        if (value is not null)
        {
            arguments.Add(SyntaxFactory.Argument(value.WithoutTrivia()));
        }

        return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression,
                    SyntaxFactory.ParseExpression(InterlockedType).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation),
                    SyntaxFactory.IdentifierName(method)),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments)))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>How one racy write gets its lock.</summary>
    /// <param name="Region">The statement, or the member or lambda with an expression body, to wrap.</param>
    /// <param name="Type">The type that holds the lock object.</param>
    /// <param name="StaticLock">Whether the lock object must be static (static field or static code).</param>
    /// <param name="SharedValue">For a <c>Shared&lt;T&gt;.Value</c>, the expression of the shared value, whose <c>Lock()</c> is used.</param>
    /// <param name="ReturnsValue">Whether an expression body becomes a <c>return</c> statement.</param>
    private sealed record LockPlan(SyntaxNode Region, TypeDeclarationSyntax Type, bool StaticLock, string? SharedValue, bool ReturnsValue)
    {
        /// <summary>The line ending of the document, for blocks laid out before formatting.</summary>
        public string EndOfLine =>
            Region.SyntaxTree.GetRoot().DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } endOfLine
                ? endOfLine
                : "\n";
    }
}
