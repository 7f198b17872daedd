using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Generator;

/// <summary>
/// Turns parameter and result types into <see cref="CodecModel"/>s, following <see cref="TransferableTypes.Describe"/>
/// into every type they are made of. One builder collects the codecs of one method.
/// </summary>
internal sealed class CodecModelBuilder
{
    private readonly IAssemblySymbol _within;
    private readonly Dictionary<string, CodecModel> _codecs = new(System.StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(System.StringComparer.Ordinal);

    public CodecModelBuilder(IAssemblySymbol within)
    {
        _within = within;
    }

    /// <summary>Every codec added so far, ordered by key so that the model does not depend on traversal order.</summary>
    public EquatableArray<CodecModel> Codecs =>
        _codecs.Values.OrderBy(static codec => codec.Key, System.StringComparer.Ordinal).ToEquatableArray();

    /// <summary>
    /// The key of <paramref name="type"/>'s codec, after adding it and the codecs of everything it is made of;
    /// <see langword="null"/> when some part of it cannot cross a process boundary.
    /// </summary>
    public string? Add(ITypeSymbol type)
    {
        ITypeSymbol plain = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        string key = Key(plain);
        if (_codecs.ContainsKey(key) || _inProgress.Contains(key))
        {
            return key;
        }

        _inProgress.Add(key);
        CodecModel? codec = Build(TransferableTypes.Describe(plain, _within));
        _inProgress.Remove(key);
        if (codec is null)
        {
            return null;
        }

        _codecs[key] = codec;
        return key;
    }

    /// <summary>
    /// <paramref name="type"/> as C# text that identifies its runtime type: fully qualified, without nullable
    /// reference annotations (which do not exist at run time) or tuple element names (likewise).
    /// </summary>
    public static string Key(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return Key(array.ElementType) + "[]";
            // A one-element tuple has no tuple syntax; it falls through to ValueTuple<T>.
            case INamedTypeSymbol { IsTupleType: true, TupleElements.Length: > 1 } tuple:
                return "(" + string.Join(", ", tuple.TupleElements.Select(static element => Key(element.Type))) + ")";
            case INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable:
                return Key(nullable.TypeArguments[0]) + "?";
            case INamedTypeSymbol named when HasTypeArguments(named):
                string container = named.ContainingType is { } outer
                    ? Key(outer) + "."
                    : named.ContainingNamespace is { IsGlobalNamespace: false } ns ? $"global::{ns.ToDisplayString()}." : "global::";
                string arguments = named.TypeArguments.Length == 0
                    ? string.Empty
                    : "<" + string.Join(", ", named.TypeArguments.Select(Key)) + ">";
                return container + named.Name + arguments;
            default:
                return type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        }
    }

    private CodecModel? Build(TypeShape shape)
    {
        ITypeSymbol type = shape.Type;
        switch (shape.Kind)
        {
            case ShapeKind.Primitive:
                (string wireName, int size) = Primitive(type.SpecialType);
                return Leaf(shape, wireName, size);
            case ShapeKind.String:
            case ShapeKind.CrossProcessHandle:
                return Leaf(shape, null, sizeof(int));
            case ShapeKind.WellKnownValue:
                (string valueName, int valueSize) = WellKnownValue(type);
                return Leaf(shape, valueName, valueSize);
            case ShapeKind.Enum:
                return Composite(shape, elements => (Primitive(shape.Elements[0].SpecialType).WireName, MinimumSize(elements[0])));
            case ShapeKind.Nullable:
                return Composite(shape, static _ => (null, 1));
            case ShapeKind.Array:
            case ShapeKind.List:
            case ShapeKind.Dictionary:
                return Composite(shape, static _ => (null, sizeof(int)));
            case ShapeKind.Tuple:
                return Composite(shape, elements => (null, elements.Sum(MinimumSize)));
            case ShapeKind.Object:
                return BuildObject(shape);
            default:
                return null;
        }
    }

    private static CodecModel Leaf(TypeShape shape, string? wireName, int minimumSize) =>
        new(Key(shape.Type), shape.Kind, shape.Type.IsValueType, IsSealed(shape.Type), wireName, EquatableArray<string>.Empty, EquatableArray<CodecMemberModel>.Empty, 0, minimumSize, false);

    private CodecModel? Composite(TypeShape shape, System.Func<List<string>, (string? WireName, int MinimumSize)> describe)
    {
        var elements = new List<string>(shape.Elements.Length);
        foreach (ITypeSymbol element in shape.Elements)
        {
            if (Add(element) is not { } elementKey)
            {
                return null;
            }

            elements.Add(elementKey);
        }

        (string? wireName, int minimumSize) = describe(elements);
        bool isBlock = shape.Kind is ShapeKind.Array or ShapeKind.List
                       && _codecs.TryGetValue(elements[0], out CodecModel? item)
                       && item.Kind == ShapeKind.Primitive && item.WireName is not ("Boolean" or "Decimal");
        return new CodecModel(Key(shape.Type), shape.Kind, shape.Type.IsValueType, IsSealed(shape.Type), wireName, elements.ToEquatableArray(),
            EquatableArray<CodecMemberModel>.Empty, 0, minimumSize, isBlock);
    }

    private CodecModel? BuildObject(TypeShape shape)
    {
        var members = new List<CodecMemberModel>(shape.Members.Length);
        foreach (ShapeMember member in shape.Members)
        {
            if (Add(member.Type) is not { } memberKey)
            {
                return null;
            }

            members.Add(new CodecMemberModel(SymbolModels.EscapeIdentifier(member.Name), memberKey, member.ConstructorIndex,
                member.ConstructorIndex < 0 || IsRequired(shape.Type, member.Name)));
        }

        ITypeSymbol type = shape.Type;
        List<(string? Field, string? Owner)>? restore = RestorePlan(type, shape.Members);
        if (restore is not null)
        {
            for (int i = 0; i < members.Count; i++)
            {
                members[i] = members[i] with { RestoreField = restore[i].Field, RestoreFieldOwner = restore[i].Owner };
            }
        }

        int minimumSize = type.IsValueType
            ? System.Math.Max(1, members.Sum(member => MinimumSize(member.TypeKey)))
            : 1;
        return new CodecModel(Key(type), ShapeKind.Object, type.IsValueType, IsSealed(type), null, EquatableArray<string>.Empty,
            members.ToEquatableArray(), shape.ConstructorParameterCount, minimumSize, false, restore is not null);
    }

    /// <summary>
    /// How to restore each member of <paramref name="type"/> without running a constructor: the field to write through an
    /// <c>UnsafeAccessor</c> (null: assign the member directly). <see langword="null"/> when the object must be
    /// constructed: some field of it is not carried by the codec (private state a constructor sets up), a member has no
    /// field to write (a computed property), or the type's fields cannot all be seen (declared in another assembly, a
    /// primary constructor's captured parameters) or named by an accessor (generic types).
    /// </summary>
    private List<(string? Field, string? Owner)>? RestorePlan(ITypeSymbol type, System.Collections.Immutable.ImmutableArray<ShapeMember> written)
    {
        // An accessor names its target's fields by the target's type, which for a generic type needs its own generic accessor class.
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (current is INamedTypeSymbol named && HasTypeArguments(named))
            {
                return null;
            }
        }

        if (TransferableTypes.CarriedFields(type, written, _within, out _) is not { } fields)
        {
            return null;
        }

        var plan = new List<(string? Field, string? Owner)>(written.Length);
        foreach (ShapeMember member in written)
        {
            if (!fields.TryGetValue(member.Name, out IFieldSymbol? field))
            {
                return null;
            }

            bool assignable = field.AssociatedSymbol is IPropertySymbol property
                ? property.SetMethod is { DeclaredAccessibility: Accessibility.Public, IsInitOnly: false }
                : !field.IsReadOnly;
            plan.Add(assignable ? (null, null) : (field.Name, Key(field.ContainingType)));
        }

        return plan;
    }

    // A codec still being built is a class on a cycle (a struct cannot contain itself), and a class takes at least its
    // one-byte null marker.
    private int MinimumSize(string key) => _codecs.TryGetValue(key, out CodecModel? codec) ? codec.MinimumSize : 1;

    // A required member must be set in the object initializer even when a constructor parameter matches it.
    private static bool IsRequired(ITypeSymbol type, string memberName)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            foreach (ISymbol symbol in current.GetMembers(memberName))
            {
                if (symbol is IPropertySymbol or IFieldSymbol)
                {
                    return symbol is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true };
                }
            }
        }

        return false;
    }

    private static bool IsSealed(ITypeSymbol type) => type.IsValueType || type.IsSealed || type is IArrayTypeSymbol;

    private static bool HasTypeArguments(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.TypeArguments.Length > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static (string WireName, int Size) Primitive(SpecialType type) => type switch
    {
        SpecialType.System_Boolean => ("Boolean", 1),
        SpecialType.System_Char => ("Char", 2),
        SpecialType.System_SByte => ("SByte", 1),
        SpecialType.System_Byte => ("Byte", 1),
        SpecialType.System_Int16 => ("Int16", 2),
        SpecialType.System_UInt16 => ("UInt16", 2),
        SpecialType.System_Int32 => ("Int32", 4),
        SpecialType.System_UInt32 => ("UInt32", 4),
        SpecialType.System_Int64 => ("Int64", 8),
        SpecialType.System_UInt64 => ("UInt64", 8),
        SpecialType.System_Single => ("Single", 4),
        SpecialType.System_Double => ("Double", 8),
        _ => ("Decimal", 16),
    };

    private static (string WireName, int Size) WellKnownValue(ITypeSymbol type) => type.MetadataName switch
    {
        "DateTimeOffset" => ("DateTimeOffset", 10),
        "TimeSpan" => ("TimeSpan", 8),
        "Guid" => ("Guid", 16),
        "DateOnly" => ("DateOnly", 4),
        "TimeOnly" => ("TimeOnly", 8),
        _ => ("DateTime", 9),
    };
}
