using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Generator;

/// <summary>Turns a <c>[RunInProcess]</c> method into a <see cref="ProcessMethodModel"/>, with the codecs of its types.</summary>
internal static class ProcessMethodParser
{
    private static readonly SymbolDisplayFormat DisplayFormat = SymbolDisplayFormat.CSharpErrorMessageFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>
    /// The model of the annotated method, or the launcher stub of a method <see cref="LaunchTarget"/> rejects (the
    /// analyzers explain why to the user), or <see langword="null"/> when not even a stub has a place to go. An
    /// instance method runs in the child on a copy of its object, which <see cref="LaunchTarget"/> allows only where
    /// the type's codec carries all of its state.
    /// </summary>
    public static ParsedProcessMethodModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        context.TargetSymbol is IMethodSymbol method ? Parse(method, context.Attributes, cancellationToken) : null;

    /// <summary>The model of <paramref name="method"/>, given its <c>[RunInProcess]</c> attributes; see the other overload.</summary>
    public static ParsedProcessMethodModel? Parse(IMethodSymbol method, ImmutableArray<AttributeData> attributes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (attributes.Length != 1)
        {
            return null;
        }

        ImmutableArray<LaunchProblem> problems = LaunchTarget.Check(method, inChildProcess: true, method.ContainingAssembly);
        if (!problems.IsEmpty)
        {
            return RejectedMethodParser.Parse(method, inChildProcess: true, problems) is { } rejected ? new ParsedProcessMethodModel(null, rejected) : null;
        }

        return SymbolModels.TypeIdentity(method.ContainingType) is { } type
               && Launchable(method, type, attributes[0], cancellationToken) is { } model
            ? new ParsedProcessMethodModel(model, null)
            : null;
    }

    private static ProcessMethodModel? Launchable(IMethodSymbol method, TypeIdentityModel type, AttributeData attribute, CancellationToken cancellationToken)
    {
        EquatableArray<ParameterModel> parameters = SymbolModels.Parameters(method);
        (ResultKind Kind, string? Type) result = SymbolModels.Result(method);
        // LaunchTarget found a codec for every type; the builder writes them.
        var codecs = new CodecModelBuilder(method.ContainingAssembly);
        string? instanceCodec = null;
        if (!method.IsStatic
            && (TransferableTypes.WhyNotWhollyCopied(method.ContainingType, method.ContainingAssembly) is not null
                || (instanceCodec = codecs.Add(method.ContainingType)) is null))
        {
            return null;
        }

        var parameterCodecs = new string[method.Parameters.Length];
        for (int i = 0; i < parameterCodecs.Length; i++)
        {
            if (codecs.Add(method.Parameters[i].Type) is not { } key)
            {
                return null;
            }

            parameterCodecs[i] = key;
        }

        string? resultCodec = null;
        if (ResultType(method, result.Kind) is { } resultType
            && (resultCodec = codecs.Add(resultType)) is null)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        string signature = $"{CodecModelBuilder.Key(method.ContainingType)}.{method.Name}({string.Join(",", parameterCodecs)})";
        string displayName = $"{method.ContainingType.ToDisplayString(DisplayFormat)}.{method.Name}"
                             + $"({string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString(DisplayFormat)))})";
        bool overloaded = method.ContainingType.GetMembers(method.Name).Count(static m => m is IMethodSymbol) > 1;
        ulong id = StableId.Of(signature);
        EquatableArray<CodecModel> methodCodecs = codecs.Codecs;
        return new ProcessMethodModel(
            type,
            method.Name,
            SymbolModels.Accessibility(method),
            parameters,
            parameterCodecs.ToEquatableArray(),
            result.Kind,
            result.Type,
            resultCodec,
            id,
            CodecShape.Of(instanceCodec, parameterCodecs, resultCodec, methodCodecs),
            displayName,
            SymbolModels.NamedArgument<string?>(attribute, "Name", null),
            SymbolModels.NamedArgument(attribute, "Daemon", false),
            methodCodecs,
            overloaded ? $"{method.Name}Process_{id:X16}" : $"{method.Name}Process",
            ReachableTypes(method.ContainingType),
            instanceCodec,
            PoolDescriptor(method, result.Kind, instanceCodec));
    }

    /// <summary>
    /// Which pool descriptor a map over the method is redirected to (see <see cref="ProcessMethodModel.PoolDescriptor"/>),
    /// or <see langword="null"/> when pools cannot run it.
    /// </summary>
    private static string? PoolDescriptor(IMethodSymbol method, ResultKind result, string? instanceCodec) => (instanceCodec, result, method.Parameters.Length) switch
    {
        // A pool sends a method id and arguments, not an instance to call the method on.
        (not null, _, _) => null,
        (_, ResultKind.Value, >= 1 and <= 3) => "Function",
        (_, ResultKind.Void, 1) => "Procedure",
        (_, ResultKind.Void, 0) => "Action",
        _ => null,
    };

    private static ITypeSymbol? ResultType(IMethodSymbol method, ResultKind kind) => kind switch
    {
        ResultKind.Value => method.ReturnType,
        ResultKind.TaskOfT or ResultKind.ValueTaskOfT => ((INamedTypeSymbol)method.ReturnType).TypeArguments[0],
        _ => null,
    };

    /// <summary>How many types of <paramref name="type"/>'s chain, outermost first, other classes of the assembly can name.</summary>
    private static int ReachableTypes(INamedTypeSymbol type)
    {
        var chain = new System.Collections.Generic.List<INamedTypeSymbol>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            chain.Insert(0, current);
        }

        int reachable = 0;
        while (reachable < chain.Count
               && chain[reachable].DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)
        {
            reachable++;
        }

        return reachable;
    }
}
