using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ParallelDsl.Analyzers;

/// <summary>One operation inside code reached from a root, with how it was reached.</summary>
/// <param name="Operation">The operation.</param>
/// <param name="Depth">0 in the root itself, n in a method reached through n calls.</param>
/// <param name="Method">The method whose body holds the operation, or <see langword="null"/> in the root.</param>
internal readonly record struct ReachedOperation(IOperation Operation, int Depth, IMethodSymbol? Method);

/// <summary>
/// The bodies of the compilation's own methods as operation trees, loaded once per compilation and shared by the
/// rules that follow calls from code that runs elsewhere (a thread, a child process) into what it calls.
/// </summary>
internal sealed class SourceBodies(Compilation compilation)
{
    private readonly ConcurrentDictionary<IMethodSymbol, IOperation?> _bodies = new(SymbolEqualityComparer.Default);

    /// <summary>The body of <paramref name="method"/> when the compilation declares it with one, else <see langword="null"/>.</summary>
    public IOperation? BodyOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        IMethodSymbol definition = method.PartialImplementationPart ?? method.OriginalDefinition;
        return _bodies.GetOrAdd(definition, m => Load(m, cancellationToken));
    }

    /// <summary>
    /// Every operation under <paramref name="root"/> and in the bodies of the source methods it calls, up to
    /// <paramref name="maxDepth"/> calls deep; each method body is visited once.
    /// </summary>
    public IEnumerable<ReachedOperation> Walk(IOperation root, int maxDepth, CancellationToken cancellationToken)
    {
        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var pending = new Queue<(IOperation Body, int Depth, IMethodSymbol? Method)>();
        pending.Enqueue((root, 0, null));
        while (pending.Count > 0)
        {
            (IOperation body, int depth, IMethodSymbol? method) = pending.Dequeue();
            foreach (IOperation operation in body.DescendantsAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return new ReachedOperation(operation, depth, method);
                if (depth < maxDepth
                    && operation is IInvocationOperation invocation
                    && visited.Add(invocation.TargetMethod.OriginalDefinition)
                    && BodyOf(invocation.TargetMethod, cancellationToken) is { } callee)
                {
                    pending.Enqueue((callee, depth + 1, invocation.TargetMethod));
                }
            }
        }
    }

    private IOperation? Load(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        SyntaxNode syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (syntax is not (BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax))
        {
            return null;
        }

        // The driver caches one semantic model per tree for every analyzer; this asks for that shared model, so
        // following a call costs no second binding of the callee's file.
#pragma warning disable RS1030 // Following calls across files needs the callee's semantic model.
        SemanticModel model = compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
        IOperation? body = model.GetOperation(syntax, cancellationToken);
        return body is IMethodBodyOperation { BlockBody: null, ExpressionBody: null } ? null : body;
    }
}
