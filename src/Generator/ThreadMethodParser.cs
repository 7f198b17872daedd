using System.Threading;
using Microsoft.CodeAnalysis;

namespace ParallelDsl.Generator;

/// <summary>Turns a <c>[RunInThread]</c> method into a <see cref="ThreadMethodModel"/>.</summary>
internal static class ThreadMethodParser
{
    /// <summary>
    /// The model of the annotated method, or <see langword="null"/> when no launcher can be written for it
    /// (the analyzers explain why to the user; the generator stays quiet).
    /// </summary>
    public static ThreadMethodModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (context.TargetSymbol is not IMethodSymbol method
            || method.MethodKind != MethodKind.Ordinary
            || method.IsGenericMethod
            || method.IsAbstract
            || method.IsExtern && !method.IsStatic
            || !method.IsStatic && method.ContainingType.IsValueType
            || context.Attributes.Length != 1)
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

        AttributeData attribute = context.Attributes[0];
        return new ThreadMethodModel(
            type,
            method.Name,
            SymbolModels.Accessibility(method),
            method.IsStatic,
            parameters.Value,
            result.Value.Kind,
            result.Value.Type,
            SymbolModels.NamedArgument<string?>(attribute, "Name", null),
            SymbolModels.NamedArgument(attribute, "Daemon", false),
            SymbolModels.NamedArgument(attribute, "MaxConcurrency", 0));
    }
}
