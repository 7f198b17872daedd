using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ParallelDsl.Analyzers.Concurrency;

/// <summary>
/// Walks the code of one concurrent context — its root and the compilation's methods it calls, a few calls deep —
/// and records every access to shared state there. A lock held around a call guards everything the callee does;
/// an object the context created and keeps to itself is owned, and its fields are not shared.
/// </summary>
internal sealed class ContextWalker(KnownSymbols known, SourceBodies bodies)
{
    /// <summary>How many calls deep the walk follows the compilation's own methods.</summary>
    public const int MaxCallDepth = 3;

    public ImmutableArray<SharedAccess> Walk(IOperation root, ConcurrentContext context, CancellationToken cancellationToken)
    {
        var accesses = ImmutableArray.CreateBuilder<SharedAccess>();
        var covered = ImmutableArray.CreateBuilder<SyntaxNode>();
        var visited = new HashSet<(IMethodSymbol Method, bool Guarded, bool OwnedThis, long OwnedParameters)>(new VisitComparer());
        var pending = new Queue<Frame>();
        pending.Enqueue(new Frame(root, 0, null, Guarded: false, ThisIsOwned: false, OwnedParameters: 0));
        covered.Add(root.Syntax);
        while (pending.Count > 0)
        {
            Frame frame = pending.Dequeue();
            foreach (IOperation operation in frame.Body.DescendantsAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (SharedMembers.Resolve(operation, known) is { } reference
                    && (reference.Member.IsStatic || IsShared(reference.Instance, frame)))
                {
                    string where = frame.Method is null ? context.Description : $"'{frame.Method.Name}', called from {context.Description}";
                    accesses.Add(new SharedAccess(reference.Member, reference.Kind, frame.Guarded || LockScopes.IsHeld(operation, known),
                        reference.Atomic, reference.LazyInitialization, operation, where, context));
                }

                if (frame.Depth < MaxCallDepth
                    && operation is IInvocationOperation invocation
                    && bodies.BodyOf(invocation.TargetMethod, cancellationToken) is { } callee)
                {
                    bool guarded = frame.Guarded || LockScopes.IsHeld(invocation, known);
                    bool ownedThis = !invocation.TargetMethod.IsStatic && Ownership.IsOwned(invocation.Instance, frame.Scope);
                    long ownedParameters = Ownership.OwnedArguments(invocation, frame.Scope);
                    if (visited.Add((invocation.TargetMethod.OriginalDefinition, guarded, ownedThis, ownedParameters)))
                    {
                        covered.Add(callee.Syntax);
                        pending.Enqueue(new Frame(callee, frame.Depth + 1, invocation.TargetMethod, guarded, ownedThis, ownedParameters));
                    }
                }
            }
        }

        context.Covered = covered.ToImmutable();
        return accesses.ToImmutable();
    }

    /// <summary>
    /// Whether an instance member reached through <paramref name="instance"/> is shared: it belongs to this object
    /// or to an object kept in a field, and the context does not own it. One reached through a local or a parameter
    /// may well be private to the thread.
    /// </summary>
    private static bool IsShared(IOperation? instance, Frame frame) =>
        instance?.WalkDownConversions() is IInstanceReferenceOperation or IFieldReferenceOperation
        && !Ownership.IsOwned(instance, frame.Scope);

    private readonly record struct Frame(IOperation Body, int Depth, IMethodSymbol? Method, bool Guarded, bool ThisIsOwned, long OwnedParameters)
    {
        public OwnerScope Scope => new(Body, ThisIsOwned, OwnedParameters);
    }

    private sealed class VisitComparer : IEqualityComparer<(IMethodSymbol Method, bool Guarded, bool OwnedThis, long OwnedParameters)>
    {
        public bool Equals((IMethodSymbol Method, bool Guarded, bool OwnedThis, long OwnedParameters) x, (IMethodSymbol Method, bool Guarded, bool OwnedThis, long OwnedParameters) y) =>
            SymbolEqualityComparer.Default.Equals(x.Method, y.Method) && x.Guarded == y.Guarded && x.OwnedThis == y.OwnedThis && x.OwnedParameters == y.OwnedParameters;

        public int GetHashCode((IMethodSymbol Method, bool Guarded, bool OwnedThis, long OwnedParameters) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 4) + (obj.Guarded ? 2 : 0) + (obj.OwnedThis ? 1 : 0) + (int)obj.OwnedParameters;
    }
}
