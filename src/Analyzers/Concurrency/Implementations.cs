using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace ParallelDsl.Analyzers.Concurrency;

/// <summary>
/// The compilation's own implementations of interface and abstract methods, so that a walk reaching
/// <c>handler.OnEvent()</c> through an interface goes on into the methods that call can run. Built once per
/// compilation, on the first call through an interface or an abstract method, from the types declared in source.
/// </summary>
internal sealed class Implementations(Compilation compilation)
{
    /// <summary>
    /// A call with more implementations than this is a plug-in point (a visitor, a handler every type provides): it is
    /// not followed, so that one dispatch does not pull half the compilation into a thread's code.
    /// </summary>
    public const int MaxImplementations = 8;

    private Dictionary<IMethodSymbol, List<IMethodSymbol>>? _byMethod;

    /// <summary>
    /// The source methods a call of <paramref name="method"/> can run when it has no body of its own (an interface
    /// or abstract method), or none when it has one, has no implementation here, or too many.
    /// </summary>
    public ImmutableArray<IMethodSymbol> Of(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (!(method.IsAbstract || method.ContainingType.TypeKind == TypeKind.Interface))
        {
            return [];
        }

        Dictionary<IMethodSymbol, List<IMethodSymbol>> index = LazyInitializer.EnsureInitialized(ref _byMethod, () => Build(cancellationToken))!;
        return index.TryGetValue(method.OriginalDefinition, out List<IMethodSymbol>? found) && found.Count <= MaxImplementations
            ? [.. found]
            : [];
    }

    private Dictionary<IMethodSymbol, List<IMethodSymbol>> Build(CancellationToken cancellationToken)
    {
        var index = new Dictionary<IMethodSymbol, List<IMethodSymbol>>(SymbolEqualityComparer.Default);
        var types = new Stack<INamespaceOrTypeSymbol>();
        types.Push(compilation.Assembly.GlobalNamespace);
        while (types.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            INamespaceOrTypeSymbol current = types.Pop();
            foreach (INamespaceOrTypeSymbol member in current.GetMembers().OfType<INamespaceOrTypeSymbol>())
            {
                types.Push(member);
            }

            if (current is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, IsAbstract: false } type)
            {
                AddImplementations(type, index);
            }
        }

        return index;
    }

    private static void AddImplementations(INamedTypeSymbol type, Dictionary<IMethodSymbol, List<IMethodSymbol>> index)
    {
        foreach (INamedTypeSymbol contract in type.AllInterfaces)
        {
            foreach (IMethodSymbol method in contract.GetMembers().OfType<IMethodSymbol>())
            {
                if (type.FindImplementationForInterfaceMember(method) is IMethodSymbol { IsAbstract: false } implementation)
                {
                    Add(index, method.OriginalDefinition, implementation);
                }
            }
        }

        for (INamedTypeSymbol? declaring = type; declaring is not null; declaring = declaring.BaseType)
        {
            foreach (IMethodSymbol method in declaring.GetMembers().OfType<IMethodSymbol>())
            {
                // The override the type runs for each abstract method above it.
                for (IMethodSymbol? overridden = method.IsOverride && !method.IsAbstract ? method.OverriddenMethod : null; overridden is not null; overridden = overridden.OverriddenMethod)
                {
                    if (overridden.IsAbstract)
                    {
                        Add(index, overridden.OriginalDefinition, method);
                    }
                }
            }
        }
    }

    private static void Add(Dictionary<IMethodSymbol, List<IMethodSymbol>> index, IMethodSymbol contract, IMethodSymbol implementation)
    {
        if (implementation.DeclaringSyntaxReferences.Length == 0)
        {
            return;
        }

        if (!index.TryGetValue(contract, out List<IMethodSymbol>? list))
        {
            index[contract] = list = [];
        }

        if (!list.Contains(implementation.OriginalDefinition, SymbolEqualityComparer.Default))
        {
            list.Add(implementation.OriginalDefinition);
        }
    }
}
