using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Generator;

/// <summary>
/// Finds the pool calls that pass a <c>[RunInProcess]</c> method group where the pool's delegate overload expects
/// a <c>Func</c> or <c>Action</c> (<c>pool.Map(Square, items)</c>, <c>ProcessAction.Of(Setup)</c>) and turns each into
/// a <see cref="PoolCallModel"/>. A lambda, a delegate variable or a method the generator cannot describe is left
/// alone: the call then throws its clear run-time error, and the analyzers report it at compile time.
/// </summary>
internal static class PoolCallParser
{
    private static readonly ImmutableHashSet<string> PoolMethods =
        ImmutableHashSet.Create("Map", "MapAsync", "MapUnordered", "MapUnorderedAsync", "StarMap", "Submit", "Shutdown");

    /// <summary>The syntax-only filter: an invocation of a member with one of the pool methods' names.</summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member, ArgumentList.Arguments.Count: > 0 }
        && member.Name.Identifier.ValueText is var name
        && (name == "Of" || PoolMethods.Contains(name));

    /// <summary>The model of the call, or <see langword="null"/> when it is not one the generator redirects.</summary>
    public static PoolCallModel? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (context.SemanticModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation call
            || call.Arguments.Length == 0
            || !IsDelegateOverload(call.TargetMethod, out bool isInstance)
            || call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value is not IDelegateCreationOperation
            {
                Target: IMethodReferenceOperation { Method: var target },
                Type: INamedTypeSymbol { DelegateInvokeMethod: { } invoke },
            }
            || !Matches(invoke, target))
        {
            return null;
        }

        AttributeData[] attributes = target.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == WellKnownNames.RunInProcessAttribute)
            .ToArray();
        if (attributes.Length == 0
            || ProcessMethodParser.Parse(target, [.. attributes], cancellationToken) is not { Launchable: { } method }
            || method.PoolDescriptor is not { } descriptor
            || !Fits(call.TargetMethod.Name, descriptor, target.Parameters.Length))
        {
            return null;
        }

#pragma warning disable RSEXPERIMENTAL002 // Interceptable locations are the supported way to write interceptors in Roslyn 4.14.
        if (context.SemanticModel.GetInterceptableLocation(invocation, cancellationToken) is not { } location)
        {
            return null;
        }

        int version = location.Version;
        string data = location.Data;
#pragma warning restore RSEXPERIMENTAL002

        FileLinePositionSpan span = invocation.GetLocation().GetLineSpan();
        string display = $"{System.IO.Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})";
        IMethodSymbol called = call.TargetMethod;
        return new PoolCallModel(
            version,
            data,
            display,
            isInstance,
            SymbolModels.TypeName(called.ContainingType),
            called.Name,
            SymbolModels.TypeName(called.ReturnType),
            called.Parameters.Select(p => new ParameterModel(p.Name, SymbolModels.TypeName(p.Type), null)).ToEquatableArray(),
            ProcessHolders.HolderMember(method, descriptor));
    }

    /// <summary>Whether <paramref name="method"/> is a pool overload that takes a delegate, the form the generator redirects.</summary>
    private static bool IsDelegateOverload(IMethodSymbol method, out bool isInstance)
    {
        string? type = method.ContainingType?.ToDisplayString();
        isInstance = type == WellKnownNames.ProcessPoolBase;
        bool known = (isInstance && PoolMethods.Contains(method.Name))
                     || (type == WellKnownNames.ProcessActionMetadata && method.Name == "Of" && method.IsStatic);
        return known
               && method.Parameters.Length > 0
               && method.Parameters[0].Type.TypeKind == TypeKind.Delegate;
    }

    /// <summary>
    /// Whether the delegate the call expects has exactly the method's parameter and return types, so the method's
    /// descriptor fits the overload (a conversion such as <c>Func&lt;string, object&gt;</c> for a method on objects does not).
    /// </summary>
    private static bool Matches(IMethodSymbol invoke, IMethodSymbol target) =>
        invoke.Parameters.Length == target.Parameters.Length
        && SymbolEqualityComparer.Default.Equals(invoke.ReturnType, target.ReturnType)
        && invoke.Parameters.Zip(target.Parameters, static (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(static same => same);

    private static bool Fits(string calledName, string descriptor, int parameterCount) => calledName switch
    {
        "Of" => descriptor == "Action",
        "StarMap" => descriptor == "Function" && parameterCount >= 2,
        "Map" or "MapAsync" or "Submit" => descriptor is "Function" or "Procedure" && parameterCount == 1,
        _ => descriptor == "Function" && parameterCount == 1,
    };
}
