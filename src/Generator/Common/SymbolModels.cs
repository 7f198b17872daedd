using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Generator;

/// <summary>Turns the symbols every annotated method shares (its type, parameters, result) into models.</summary>
internal static class SymbolModels
{
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>The fully qualified C# name of <paramref name="type"/>, with nullable annotations.</summary>
    public static string TypeName(ITypeSymbol type) => type.ToDisplayString(TypeFormat);

    /// <summary>
    /// The namespace and partial type chain of <paramref name="type"/>, or <see langword="null"/> when generated code
    /// cannot be added to it (a type of the chain is not partial, is file-local, or is an interface).
    /// </summary>
    public static TypeIdentityModel? TypeIdentity(INamedTypeSymbol type)
    {
        var chain = new List<ContainingTypeModel>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            string? keyword = Keyword(current);
            // A file-local type cannot be continued in the generated file.
            if (keyword is null || !LaunchTarget.IsPartial(current) || current.IsFileLocal)
            {
                return null;
            }

            string name = current.TypeParameters.Length == 0
                ? current.Name
                : $"{current.Name}<{string.Join(", ", current.TypeParameters.Select(p => p.Name))}>";
            chain.Insert(0, new ContainingTypeModel(keyword, name));
        }

        string? ns = type.ContainingNamespace is { IsGlobalNamespace: false } containing
            ? containing.ToDisplayString()
            : null;
        return new TypeIdentityModel(ns, chain.ToEquatableArray());
    }

    /// <summary>
    /// The parameters of <paramref name="method"/>, as its launchers re-declare them; only for a method that
    /// <see cref="LaunchTarget.Check"/> accepts (no by-reference, pointer or ref-struct parameter).
    /// </summary>
    public static EquatableArray<ParameterModel> Parameters(IMethodSymbol method) =>
        method.Parameters.Select(Parameter).ToEquatableArray();

    /// <summary>One parameter, as a launcher re-declares it.</summary>
    public static ParameterModel Parameter(IParameterSymbol parameter) =>
        new(EscapeIdentifier(parameter.Name), TypeName(parameter.Type), DefaultValue(parameter), parameter.IsParams);

    /// <summary>
    /// How the method's result is produced, and its type (the awaited type for tasks); only for a method that
    /// <see cref="LaunchTarget.Check"/> accepts (no ref return, no ref-struct result).
    /// </summary>
    public static (ResultKind Kind, string? Type) Result(IMethodSymbol method)
    {
        if (method.ReturnsVoid)
        {
            return (ResultKind.Void, null);
        }

        ITypeSymbol returnType = method.ReturnType;
        if (returnType is INamedTypeSymbol { ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } named)
        {
            switch (named.MetadataName)
            {
                case "Task":
                    return (ResultKind.Task, null);
                case "ValueTask":
                    return (ResultKind.ValueTask, null);
                case "Task`1":
                    return (ResultKind.TaskOfT, TypeName(named.TypeArguments[0]));
                case "ValueTask`1":
                    return (ResultKind.ValueTaskOfT, TypeName(named.TypeArguments[0]));
            }
        }

        return (ResultKind.Value, TypeName(returnType));
    }

    public static string Accessibility(ISymbol symbol) => symbol.DeclaredAccessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    /// <summary>Reads a named argument of an attribute, or <paramref name="fallback"/> when it is not set.</summary>
    public static T NamedArgument<T>(AttributeData attribute, string name, T fallback)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == name && argument.Value.Value is T value)
            {
                return value;
            }
        }

        return fallback;
    }

    private static string? Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Class } => "class",
        _ => null,
    };

    /// <summary>
    /// <paramref name="name"/> as an identifier in C# text: prefixed with <c>@</c> when it is a keyword.
    /// </summary>
    public static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.AwaitKeyword
            ? "@" + name
            : name;

    private static string? DefaultValue(IParameterSymbol parameter)
    {
        if (!parameter.HasExplicitDefaultValue)
        {
            return null;
        }

        object? value = parameter.ExplicitDefaultValue;
        if (value is null)
        {
            return "default";
        }

        // A nullable parameter's default is a value of the underlying type; a cast to T? would not be a constant.
        ITypeSymbol type = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : parameter.Type;
        string literal = SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false);
        return value switch
        {
            double number when double.IsNaN(number) || double.IsInfinity(number) => $"global::System.Double.{NonFinite(number)}",
            float number when float.IsNaN(number) || float.IsInfinity(number) => $"global::System.Single.{NonFinite(number)}",
            decimal => literal + "m",
            float => literal + "f",
            string or bool or char => literal,
            int when type.SpecialType == SpecialType.System_Int32 => literal,
            double when type.SpecialType == SpecialType.System_Double => literal,
            _ => $"({TypeName(type)})({literal})",
        };
    }

    private static string NonFinite(double number) =>
        double.IsNaN(number) ? "NaN" : number > 0 ? "PositiveInfinity" : "NegativeInfinity";
}
