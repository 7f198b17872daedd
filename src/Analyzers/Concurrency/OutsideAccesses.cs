using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ParallelDsl.Analyzers.Concurrency;

/// <summary>
/// Finds the accesses to members that concurrent code writes from the rest of the compilation: the code that started
/// the thread, public methods other threads call, <c>Dispose</c>. Only the members asked about are looked up, by
/// name, so a compilation that writes nothing from concurrent code pays nothing here.
/// </summary>
internal sealed class OutsideAccesses(Compilation compilation, KnownSymbols known)
{
    /// <summary>How many private methods, each named only by the next, are followed back towards the concurrent code.</summary>
    private const int MaxHelperChain = 8;

    private readonly ConcurrentDictionary<IMethodSymbol, bool> _lockedByEveryCaller = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// The accesses to <paramref name="members"/> outside <paramref name="covered"/> (the code of every concurrent
    /// context, whose accesses are known already), constructors and initializers (the object is not shared yet).
    /// </summary>
    public Dictionary<ISymbol, List<SharedAccess>> Find(IReadOnlyCollection<ISymbol> members, ImmutableArray<SyntaxNode> covered, CancellationToken cancellationToken)
    {
        var found = new Dictionary<ISymbol, List<SharedAccess>>(SymbolEqualityComparer.Default);
        var names = new Dictionary<string, List<ISymbol>>(System.StringComparer.Ordinal);
        bool everywhere = false;
        var scopes = new List<SyntaxNode>();
        foreach (ISymbol member in members)
        {
            if (!names.TryGetValue(member.Name, out List<ISymbol>? list))
            {
                names[member.Name] = list = [];
            }

            list.Add(member);
            if (member.DeclaredAccessibility == Accessibility.Private)
            {
                foreach (SyntaxReference reference in member.ContainingType.DeclaringSyntaxReferences)
                {
                    scopes.Add(reference.GetSyntax(cancellationToken));
                }
            }
            else
            {
                everywhere = true;
            }
        }

        if (everywhere)
        {
            scopes.Clear();
            foreach (SyntaxTree tree in compilation.SyntaxTrees)
            {
                scopes.Add(tree.GetRoot(cancellationToken));
            }
        }

        var seen = new HashSet<SyntaxNode>();
        foreach (SyntaxNode scope in scopes)
        {
            foreach (SyntaxNode node in scope.DescendantNodes())
            {
                if (node is IdentifierNameSyntax identifier
                    && names.TryGetValue(identifier.Identifier.ValueText, out List<ISymbol>? candidates)
                    && seen.Add(identifier)
                    && !IsCovered(identifier, covered)
                    && Access(identifier, candidates, covered, cancellationToken) is { } access)
                {
                    if (!found.TryGetValue(access.Member, out List<SharedAccess>? list))
                    {
                        found[access.Member] = list = [];
                    }

                    list.Add(access);
                }
            }
        }

        return found;
    }

    private SharedAccess? Access(IdentifierNameSyntax identifier, List<ISymbol> candidates, ImmutableArray<SyntaxNode> covered, CancellationToken cancellationToken)
    {
        SyntaxNode node = identifier.Parent switch
        {
            MemberAccessExpressionSyntax access when access.Name == identifier => access,
            MemberBindingExpressionSyntax binding => binding,
            _ => identifier,
        };
#pragma warning disable RS1030 // The accesses that race with a thread are anywhere in the compilation: their files' models are needed.
        SemanticModel model = compilation.GetSemanticModel(identifier.SyntaxTree);
#pragma warning restore RS1030
        if (model.GetOperation(node, cancellationToken) is not { } operation
            || SharedMembers.Resolve(operation, known) is not { } reference
            || !candidates.Contains(reference.Member, SymbolEqualityComparer.Default)
            || (!reference.Member.IsStatic && reference.Instance?.WalkDownConversions() is not (IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } or IFieldReferenceOperation)))
        {
            return null;
        }

        ISymbol? enclosing = EnclosingMember(model, identifier.SpanStart, cancellationToken);
        if (enclosing is not IMethodSymbol method || IsConstructorOf(method, reference.Member))
        {
            // Initializers and constructors run before the object (or the type) is shared.
            return null;
        }

        if (IsReachedOnlyFromConcurrentCode(method, covered, cancellationToken))
        {
            // A private helper that only the concurrent code calls, deeper than the walk went, or subscribes as a callback.
            return null;
        }

        bool guarded = LockScopes.IsHeld(operation, known) || IsLockedByEveryCaller(method, cancellationToken);
        string where = method.AssociatedSymbol is { } property ? $"'{property.Name}'" : $"'{method.Name}'";
        return new SharedAccess(reference.Member, reference.Kind, guarded, reference.Atomic, reference.LazyInitialization, operation, where, Context: null);
    }

    private static bool IsCovered(SyntaxNode node, ImmutableArray<SyntaxNode> covered)
    {
        foreach (SyntaxNode body in covered)
        {
            if (body.SyntaxTree == node.SyntaxTree && body.FullSpan.Contains(node.Span))
            {
                return true;
            }
        }

        return false;
    }

    private static ISymbol? EnclosingMember(SemanticModel model, int position, CancellationToken cancellationToken)
    {
        ISymbol? symbol = model.GetEnclosingSymbol(position, cancellationToken);
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol;
    }

    private static bool IsConstructorOf(IMethodSymbol method, ISymbol member) =>
        method.MethodKind == (member.IsStatic ? MethodKind.StaticConstructor : MethodKind.Constructor)
        && SymbolEqualityComparer.Default.Equals(method.ContainingType, member.ContainingType);

    /// <summary>
    /// Whether <paramref name="method"/> is private and named only inside <paramref name="covered"/> (the code of the
    /// concurrent contexts) or inside private methods that are, in turn: it runs as part of that code, not beside it.
    /// </summary>
    private bool IsReachedOnlyFromConcurrentCode(IMethodSymbol method, ImmutableArray<SyntaxNode> covered, CancellationToken cancellationToken)
    {
        var pending = new Stack<IMethodSymbol>();
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        pending.Push(method.OriginalDefinition);
        while (pending.Count > 0)
        {
            IMethodSymbol current = pending.Pop();
            if (!seen.Add(current))
            {
                continue;
            }

            if (seen.Count > MaxHelperChain || current.DeclaredAccessibility != Accessibility.Private || current.MethodKind != MethodKind.Ordinary)
            {
                return false;
            }

            bool named = false;
            foreach ((IdentifierNameSyntax reference, SemanticModel model) in References(current, cancellationToken))
            {
                named = true;
                if (IsCovered(reference, covered))
                {
                    continue;
                }

                if (EnclosingMember(model, reference.SpanStart, cancellationToken) is not IMethodSymbol caller)
                {
                    return false;
                }

                pending.Push(caller.OriginalDefinition);
            }

            if (!named)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The identifiers in <paramref name="method"/>'s type that name it, called or taken as a delegate.</summary>
    private IEnumerable<(IdentifierNameSyntax Reference, SemanticModel Model)> References(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference declaration in method.ContainingType.DeclaringSyntaxReferences)
        {
            SyntaxNode type = declaration.GetSyntax(cancellationToken);
#pragma warning disable RS1030 // The callers of a helper are elsewhere in its type, possibly in another file of a partial type.
            SemanticModel model = compilation.GetSemanticModel(type.SyntaxTree);
#pragma warning restore RS1030
            foreach (SyntaxNode node in type.DescendantNodes())
            {
                if (node is IdentifierNameSyntax { Identifier.ValueText: var name } identifier
                    && name == method.Name
                    && SymbolEqualityComparer.Default.Equals(ReferencedMethod(model, identifier, cancellationToken), method))
                {
                    yield return (identifier, model);
                }
            }
        }
    }

    private static IMethodSymbol? ReferencedMethod(SemanticModel model, IdentifierNameSyntax identifier, CancellationToken cancellationToken)
    {
        SymbolInfo info = model.GetSymbolInfo(identifier, cancellationToken);
        ISymbol? symbol = info.Symbol ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] : null);
        return (symbol as IMethodSymbol)?.OriginalDefinition;
    }

    /// <summary>
    /// Whether every call of <paramref name="method"/> holds a lock: a helper that writes under its callers' lock
    /// (<c>lock</c>, <c>Monitor.TryEnter</c> through a helper, <c>SemaphoreSlim.Wait</c>/<c>Release</c> around the call).
    /// Only a method no other assembly can call qualifies, and only when the type calls it and never takes it as a delegate.
    /// </summary>
    public bool IsLockedByEveryCaller(IMethodSymbol method, CancellationToken cancellationToken) =>
        _lockedByEveryCaller.GetOrAdd(method.OriginalDefinition, m => ComputeLockedByEveryCaller(m, cancellationToken));

    private bool ComputeLockedByEveryCaller(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.DeclaredAccessibility is not (Accessibility.Private or Accessibility.Internal) || method.MethodKind != MethodKind.Ordinary)
        {
            return false;
        }

        int calls = 0;
        foreach ((IdentifierNameSyntax identifier, SemanticModel model) in References(method.OriginalDefinition, cancellationToken))
        {
            SyntaxNode expression = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? access : identifier;
            if (expression.Parent is not InvocationExpressionSyntax invocation
                || invocation.Expression != expression
                || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation call
                || !LockScopes.IsHeld(call, known))
            {
                // Taken as a delegate, or called without the lock.
                return false;
            }

            calls++;
        }

        return calls > 0;
    }
}
