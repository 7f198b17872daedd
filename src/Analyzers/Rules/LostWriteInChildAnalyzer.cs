using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0004: a [RunInProcess] method runs in a fresh process with its own statics and with copies of its arguments
/// (and, for an instance method, of its object), so a static field it (or what it calls) writes, a static collection
/// it changes (<c>Seen.Add(x)</c>), a member of an object it reaches through a static, a field, element or property of
/// an argument it changes and does not return, or a member of the instance it changes, is lost when the child ends:
/// the parent's copy never changes.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class LostWriteInChildAnalyzer() : ParallelDslAnalyzer(DiagnosticDescriptors.LostWriteInChild)
{
    private const int MaxCallDepth = 3;

    protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        if (known.RunInProcessAttribute is null)
        {
            return;
        }

        var bodies = new SourceBodies(start.Compilation);
        RegisterLaunchMethodAction(start, known, (context, method, kind) =>
        {
            if (kind == LaunchKind.Process && bodies.BodyOf(method, context.CancellationToken) is { } body)
            {
                Analyze(context, body, method, known, bodies);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, IOperation block, IMethodSymbol root, KnownSymbols known, SourceBodies bodies)
    {
        string rootDescription = $"[RunInProcess] method '{root.Name}'";
        foreach (ReachedOperation reached in bodies.Walk(block, MaxCallDepth, context.CancellationToken))
        {
            // A write (x = …, x++) or a mutation of a collection (Seen.Add(x), Cache.Clear()).
            IOperation? target = reached.Operation.WriteTarget()?.WalkDownConversions()
                                 ?? (reached.Operation is IInvocationOperation { Instance: { } collection } call && IsCollectionMutation(call) ? collection.WalkDownConversions() : null);
            if (target is not null && LostWrite(target, reached.Depth, root, known) is { } lost)
            {
                string where = reached.Method is null ? rootDescription : $"'{reached.Method.Name}', called from {rootDescription}";
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.LostWriteInChild, target.Syntax.GetLocation(), lost, where));
            }
        }
    }

    /// <summary>Methods that change the collection they are called on.</summary>
    private static readonly string[] MutatorPrefixes = ["Add", "Remove", "Clear", "Insert", "Push", "Pop", "Enqueue", "Dequeue", "TryAdd", "TryRemove", "TryPop", "TryDequeue", "Set", "Sort", "Reverse", "Union", "Except", "Intersect"];

    private static bool IsCollectionMutation(IInvocationOperation call)
    {
        if (call.TargetMethod.IsStatic || !IsCollection(call.TargetMethod.ContainingType))
        {
            return false;
        }

        foreach (string prefix in MutatorPrefixes)
        {
            if (call.TargetMethod.Name.StartsWith(prefix, System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCollection(INamedTypeSymbol? type)
    {
        string? ns = type?.ContainingNamespace?.ToDisplayString();
        return ns is "System.Collections" or "System.Collections.Generic" or "System.Collections.Concurrent" or "System.Collections.ObjectModel"
            || (type is not null && type.AllInterfaces.Any(i => i.OriginalDefinition.ToDisplayString() == "System.Collections.Generic.ICollection<T>"));
    }

    /// <summary>
    /// What a write to <paramref name="target"/>, <paramref name="depth"/> calls below <paramref name="root"/>, changes
    /// that a child process would lose, or <see langword="null"/> when the write stays visible.
    /// </summary>
    public static string? LostWrite(IOperation target, int depth, IMethodSymbol root, KnownSymbols known) => target switch
    {
        IFieldReferenceOperation { Field: { IsStatic: true, IsConst: false } field } => IsWorkerState(field) ? null : field.Name,
        _ when ReachedFromStaticState(target, known) => target.Syntax.ToString(),
        _ when depth == 0 && IsPartOfAnArgument(target, root, known) => target.Syntax.ToString(),
        _ => null,
    };

    /// <summary>
    /// Whether <paramref name="target"/> is state the child's statics hold: a static collection (<c>Seen</c> in
    /// <c>Seen.Add(x)</c>, <c>Cache[k] = v</c>), a static auto-property, or a member of an object reached through a
    /// static field or property (<c>Config.Instance.Count = …</c>). Shared memory and cross-process handles do arrive.
    /// </summary>
    private static bool ReachedFromStaticState(IOperation target, KnownSymbols known)
    {
        for (IOperation? current = target; current is not null;)
        {
            if (IsCrossProcess(current, known))
            {
                return false;
            }

            switch (current.WalkDownConversions())
            {
                case IFieldReferenceOperation { Field: { IsStatic: true, IsConst: false } field }:
                    return !IsWorkerState(field);
                case IPropertyReferenceOperation { Property: { IsStatic: true } property } when property.DeclaringSyntaxReferences.Length > 0:
                    return !IsWorkerState(property);
                case var access when access.TryGetReceiver(out IOperation? receiver):
                    current = receiver;
                    break;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="member"/> is marked <c>[WorkerState]</c>: a pool worker's own state, meant to change in
    /// the child and to stay there (a field-like event or auto-property's backing field counts as its member).
    /// </summary>
    private static bool IsWorkerState(ISymbol member)
    {
        ISymbol marked = member is IFieldSymbol { AssociatedSymbol: { } property } ? property : member;
        return marked.GetAttributes().Any(attribute => attribute.AttributeClass?.ToDisplayString() == WellKnownNames.WorkerStateAttribute);
    }

    private static bool IsCrossProcess(IOperation operation, KnownSymbols known) =>
        known.IsSharedMemoryType(operation.Type)
        || (operation.Type is { } type && TransferableTypes.Describe(type, known.Compilation.Assembly).Kind == ShapeKind.CrossProcessHandle);

    /// <summary>
    /// Whether <paramref name="target"/> is a field, property or element reached from a parameter of
    /// <paramref name="root"/>: the child holds a copy of that argument. Queues, pipes and shared memory passed as
    /// arguments are connected ends, not copies, so writes through them do arrive.
    /// </summary>
    private static bool IsPartOfAnArgument(IOperation target, IMethodSymbol root, KnownSymbols known)
    {
        IOperation? current = target;
        bool throughMember = false;
        while (true)
        {
            if (current is not null && IsCrossProcess(current, known))
            {
                return false;
            }

            switch (current?.WalkDownConversions())
            {
                case { } access when access.TryGetReceiver(out IOperation? receiver):
                    current = receiver;
                    break;
                case IParameterReferenceOperation parameter:
                    return throughMember && SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, root) && !Returns(root, parameter.Parameter);
                case IInstanceReferenceOperation:
                    // An instance method runs in the child on a copy of its object: what it changes there stays there.
                    return throughMember && !root.IsStatic;
                default:
                    return false;
            }

            throughMember = true;
        }
    }

    /// <summary>Whether <paramref name="root"/> returns <paramref name="parameter"/> itself: the parent then gets the written copy back.</summary>
    private static bool Returns(IMethodSymbol root, IParameterSymbol parameter)
    {
        foreach (SyntaxReference reference in root.DeclaringSyntaxReferences)
        {
            SyntaxNode syntax = reference.GetSyntax();
            foreach (SyntaxNode node in syntax.DescendantNodesAndSelf())
            {
                ExpressionSyntax? returned = node switch
                {
                    ReturnStatementSyntax statement => statement.Expression,
                    ArrowExpressionClauseSyntax arrow when arrow.Parent == syntax => arrow.Expression,
                    _ => null,
                };
                if (returned is IdentifierNameSyntax { Identifier.ValueText: var name } && name == parameter.Name)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
