using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ParallelDsl.Analyzers.Concurrency;

/// <summary>
/// Walks the code of one concurrent context — its root and the compilation's methods it calls, a few calls deep —
/// and records every access to shared state there. A call through an interface or an abstract method goes on into
/// the compilation's implementations of it. A lock held around a call guards everything the callee does;
/// an object the context created and keeps to itself is owned, and its fields are not shared.
/// </summary>
internal sealed class ContextWalker(KnownSymbols known, SourceBodies bodies, Implementations implementations)
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

                if (frame.Depth >= MaxCallDepth)
                {
                    continue;
                }

                switch (operation)
                {
                    case IInvocationOperation invocation:
                        bool ownedThis = !invocation.TargetMethod.IsStatic && Ownership.IsOwned(invocation.Instance, frame.Scope);
                        foreach (IMethodSymbol target in Targets(invocation.TargetMethod, cancellationToken))
                        {
                            Follow(target, frame.Guarded || LockScopes.IsHeld(invocation, known), ownedThis, Ownership.OwnedArguments(invocation, frame.Scope));
                        }

                        break;
                    case IEventAssignmentOperation { Adds: true, EventReference: IEventReferenceOperation { Event.DeclaringSyntaxReferences.Length: > 0 } }
                        and { HandlerValue: IDelegateCreationOperation { Target: IMethodReferenceOperation handler } }:
                        // A handler the context subscribes to an event of the compilation's own types runs where that
                        // object raises it: in the code that drives the object, which is this context's.
                        Follow(handler.Method, guarded: false, !handler.Method.IsStatic && Ownership.IsOwned(handler.Instance, frame.Scope), ownedParameters: 0);
                        break;
                }

                void Follow(IMethodSymbol target, bool guarded, bool ownedThis, long ownedParameters)
                {
                    if (bodies.BodyOf(target, cancellationToken) is { } callee
                        && visited.Add((target.OriginalDefinition, guarded, ownedThis, ownedParameters)))
                    {
                        covered.Add(callee.Syntax);
                        pending.Enqueue(new Frame(callee, frame.Depth + 1, target, guarded, ownedThis, ownedParameters));
                    }
                }
            }
        }

        context.Covered = covered.ToImmutable();
        return accesses.ToImmutable();
    }

    /// <summary>The methods a call of <paramref name="method"/> runs: itself, or through an interface or an abstract method, the compilation's implementations.</summary>
    private ImmutableArray<IMethodSymbol> Targets(IMethodSymbol method, CancellationToken cancellationToken)
    {
        ImmutableArray<IMethodSymbol> found = implementations.Of(method, cancellationToken);
        return found.IsEmpty ? [method] : found;
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
