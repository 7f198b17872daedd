using System.Collections.Immutable;
using System.Linq;
using System.Text;
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
    /// The model of the annotated method, or <see langword="null"/> when nothing can be generated for it: an instance
    /// method of a type with no codec (an instance method of a type with one runs on a copy of the instance), a
    /// generic or abstract method, a method of a generic or private nested type, by-reference parameters, or a type
    /// that cannot cross a process boundary. The analyzers explain these to the user; the generator stays quiet.
    /// </summary>
    public static ProcessMethodModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        context.TargetSymbol is IMethodSymbol method ? Parse(method, context.Attributes, cancellationToken) : null;

    /// <summary>The model of <paramref name="method"/>, given its <c>[RunInProcess]</c> attributes; see the other overload.</summary>
    public static ProcessMethodModel? Parse(IMethodSymbol method, ImmutableArray<AttributeData> attributes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (method.MethodKind != MethodKind.Ordinary
            || method.IsGenericMethod
            || method.IsAbstract
            || attributes.Length != 1
            || !IsReachableFromAssembly(method.ContainingType))
        {
            return null;
        }

        TypeIdentityModel? type = SymbolModels.TypeIdentity(method.ContainingType);
        EquatableArray<ParameterModel>? parameters = SymbolModels.Parameters(method);
        (ResultKind Kind, string? Type)? result = SymbolModels.Result(method);
        if (type is null || parameters is null || result is null)
        {
            return null;
        }

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
            if (CodecFor(codecs, method.Parameters[i].Type, method.ContainingAssembly) is not { } key)
            {
                return null;
            }

            parameterCodecs[i] = key;
        }

        string? resultCodec = null;
        if (ResultType(method, result.Value.Kind) is { } resultType
            && (resultCodec = CodecFor(codecs, resultType, method.ContainingAssembly)) is null)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        string signature = $"{CodecModelBuilder.Key(method.ContainingType)}.{method.Name}({string.Join(",", parameterCodecs)})";
        string displayName = $"{method.ContainingType.ToDisplayString(DisplayFormat)}.{method.Name}"
                             + $"({string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString(DisplayFormat)))})";
        bool overloaded = method.ContainingType.GetMembers(method.Name).Count(static m => m is IMethodSymbol) > 1;
        ulong id = StableId(signature);
        AttributeData attribute = attributes[0];
        return new ProcessMethodModel(
            type,
            method.Name,
            SymbolModels.Accessibility(method),
            parameters.Value,
            parameterCodecs.ToEquatableArray(),
            result.Value.Kind,
            result.Value.Type,
            resultCodec,
            id,
            displayName,
            SymbolModels.NamedArgument<string?>(attribute, "Name", null),
            SymbolModels.NamedArgument(attribute, "Daemon", false),
            codecs.Codecs,
            overloaded ? $"{method.Name}Process_{id:X16}" : $"{method.Name}Process",
            instanceCodec);
    }

    /// <summary>
    /// A 64-bit FNV-1a hash of the UTF-8 bytes of <paramref name="signature"/>: the same in every build of the same
    /// source and on every machine, unlike <see cref="string.GetHashCode()"/>.
    /// </summary>
    public static ulong StableId(string signature)
    {
        const ulong OffsetBasis = 14695981039346656037;
        const ulong Prime = 1099511628211;
        ulong hash = OffsetBasis;
        foreach (byte b in Encoding.UTF8.GetBytes(signature))
        {
            hash = unchecked((hash ^ b) * Prime);
        }

        return hash;
    }

    private static string? CodecFor(CodecModelBuilder codecs, ITypeSymbol type, IAssemblySymbol within) =>
        TransferableTypes.FindProblem(type, within) is null ? codecs.Add(type) : null;

    private static ITypeSymbol? ResultType(IMethodSymbol method, ResultKind kind) => kind switch
    {
        ResultKind.Value => method.ReturnType,
        ResultKind.TaskOfT or ResultKind.ValueTaskOfT => ((INamedTypeSymbol)method.ReturnType).TypeArguments[0],
        _ => null,
    };

    // The generated dispatch table, a separate class of the assembly, must be able to name the type and its nested holder.
    private static bool IsReachableFromAssembly(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.TypeParameters.Length > 0
                || current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }
}
