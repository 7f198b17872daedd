using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ParallelDsl.Generator;

/// <summary>Turns a <c>[SharedValue]</c> property into a <see cref="SharedValueModel"/>.</summary>
internal static class SharedValueParser
{
    private static readonly SymbolDisplayFormat QualifiedNameFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType);

    /// <summary>
    /// The model of the annotated property, or <see langword="null"/> when no body can be generated for it: not a
    /// <c>static partial</c> get-only property of type <c>Shared&lt;T&gt;</c> or <c>SharedArray&lt;T&gt;</c> with an
    /// unmanaged <c>T</c>, an array without a positive <c>Length</c>, an initial value that does not convert to
    /// <c>T</c>, or a generic or non-partial declaring type (the analyzers report these; the generator stays quiet).
    /// </summary>
    public static SharedValueModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (context.TargetSymbol is not IPropertySymbol { IsStatic: true, IsPartialDefinition: true, PartialImplementationPart: null, SetMethod: null, GetMethod: not null, IsIndexer: false, RefKind: RefKind.None } property
            || context.TargetNode is not PropertyDeclarationSyntax declaration
            || context.Attributes.Length != 1
            || property.ContainingType.IsFileLocal
            || IsInGenericType(property.ContainingType)
            || property.Type is not INamedTypeSymbol { TypeArguments.Length: 1 } propertyType
            || propertyType.ContainingNamespace?.ToDisplayString() != "ParallelDsl"
            || propertyType.TypeArguments[0] is not { IsUnmanagedType: true } elementType)
        {
            return null;
        }

        SharedValueKind? kind = propertyType.MetadataName switch
        {
            "Shared`1" => SharedValueKind.Value,
            "SharedArray`1" => SharedValueKind.Array,
            _ => null,
        };
        AttributeData attribute = context.Attributes[0];
        int length = kind == SharedValueKind.Array ? SymbolModels.NamedArgument(attribute, "Length", 0) : 0;
        TypeIdentityModel? type = SymbolModels.TypeIdentity(property.ContainingType);
        string? initialValue = InitialValue(attribute, elementType, context.SemanticModel.Compilation);
        if (kind is null || kind == SharedValueKind.Array && length <= 0 || type is null || initialValue is null)
        {
            return null;
        }

        return new SharedValueModel(
            type,
            property.Name,
            string.Join(" ", declaration.Modifiers.Where(IsAccessibility).Select(modifier => modifier.Text)),
            SymbolModels.TypeName(propertyType),
            SymbolModels.TypeName(elementType),
            kind.Value,
            length,
            initialValue,
            property.ToDisplayString(QualifiedNameFormat),
            IsReachableFromModule(property.ContainingType));
    }

    private static bool IsInGenericType(INamedTypeSymbol? type)
    {
        for (; type is not null; type = type.ContainingType)
        {
            if (type.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsReachableFromModule(INamedTypeSymbol? type)
    {
        for (; type is not null; type = type.ContainingType)
        {
            if (type.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAccessibility(SyntaxToken modifier) =>
        modifier.Kind() is SyntaxKind.PublicKeyword or SyntaxKind.InternalKeyword or SyntaxKind.ProtectedKeyword or SyntaxKind.PrivateKeyword;

    /// <summary>The attribute's initial value as a C# expression of <paramref name="elementType"/>, or <see langword="null"/> when it does not convert.</summary>
    private static string? InitialValue(AttributeData attribute, ITypeSymbol elementType, Compilation compilation)
    {
        string elementName = SymbolModels.TypeName(elementType);
        if (attribute.ConstructorArguments.Length == 0 || attribute.ConstructorArguments[0].IsNull)
        {
            return $"default({elementName})";
        }

        TypedConstant constant = attribute.ConstructorArguments[0];
        if (constant.Kind is not (TypedConstantKind.Primitive or TypedConstantKind.Enum) || constant.Type is null || constant.Value is null)
        {
            return null;
        }

        bool converts = constant.Kind == TypedConstantKind.Enum
            ? SymbolEqualityComparer.Default.Equals(constant.Type, elementType)
            : compilation.ClassifyConversion(constant.Type, elementType) is { IsImplicit: true, IsUserDefined: false }
              || FitsIntegral(constant.Value, elementType.SpecialType);
        if (!converts)
        {
            return null;
        }

        string literal = SymbolDisplay.FormatPrimitive(constant.Value, quoteStrings: true, useHexadecimalNumbers: false);
        return $"({elementName})({literal})";
    }

    /// <summary>
    /// Whether an integral constant fits an integral element type, as C# lets <c>byte b = 5;</c> convert implicitly;
    /// attribute arguments arrive typed as written (<c>5</c> is an <c>int</c>), so the range decides.
    /// </summary>
    private static bool FitsIntegral(object value, SpecialType target)
    {
        if (value is not (sbyte or byte or short or ushort or int or uint or long or ulong))
        {
            return false;
        }

        decimal number = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
        return target switch
        {
            SpecialType.System_SByte => number is >= sbyte.MinValue and <= sbyte.MaxValue,
            SpecialType.System_Byte => number is >= byte.MinValue and <= byte.MaxValue,
            SpecialType.System_Int16 => number is >= short.MinValue and <= short.MaxValue,
            SpecialType.System_UInt16 => number is >= ushort.MinValue and <= ushort.MaxValue,
            SpecialType.System_Int32 => number is >= int.MinValue and <= int.MaxValue,
            SpecialType.System_UInt32 => number is >= uint.MinValue and <= uint.MaxValue,
            SpecialType.System_Int64 => number is >= long.MinValue and <= long.MaxValue,
            SpecialType.System_UInt64 => number is >= ulong.MinValue and <= ulong.MaxValue,
            _ => false,
        };
    }
}
