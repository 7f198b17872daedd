using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ParallelDsl.Roslyn;

/// <summary>How a value of a type crosses a process boundary (or why it cannot).</summary>
internal enum ShapeKind
{
    /// <summary>No codec: see <see cref="TypeShape.Reason"/>.</summary>
    Unsupported,

    /// <summary>bool, char, the integer types, float, double, decimal.</summary>
    Primitive,
    String,

    /// <summary>An enum, written as its underlying integer (<see cref="TypeShape.Elements"/>[0]).</summary>
    Enum,

    /// <summary>DateTime, DateTimeOffset, TimeSpan, Guid, DateOnly, TimeOnly.</summary>
    WellKnownValue,

    /// <summary><c>T?</c> for a value type T (<see cref="TypeShape.Elements"/>[0]).</summary>
    Nullable,

    /// <summary>A single-dimensional array (<see cref="TypeShape.Elements"/>[0]).</summary>
    Array,

    /// <summary><c>List&lt;T&gt;</c> (<see cref="TypeShape.Elements"/>[0]).</summary>
    List,

    /// <summary><c>Dictionary&lt;K,V&gt;</c> (<see cref="TypeShape.Elements"/>: key, value).</summary>
    Dictionary,

    /// <summary>A value tuple (<see cref="TypeShape.Elements"/>: the element types, <see cref="TypeShape.Members"/>: Item1…).</summary>
    Tuple,

    /// <summary>A runtime object implementing <c>ICrossProcessHandle&lt;T&gt;</c>: the child gets a connected end.</summary>
    CrossProcessHandle,

    /// <summary>A record, struct or class written member by member (<see cref="TypeShape.Members"/>).</summary>
    Object,
}

/// <summary>A member of an <see cref="ShapeKind.Object"/> type that the codec writes and restores.</summary>
/// <param name="Name">The member's name.</param>
/// <param name="Type">The member's type.</param>
/// <param name="ConstructorIndex">The position of the matching constructor parameter, or -1 when the member is assigned after construction.</param>
internal sealed record ShapeMember(string Name, ITypeSymbol Type, int ConstructorIndex);

/// <summary>The codec shape of one type: its kind, its element or member types, and for objects how to construct it.</summary>
/// <param name="Kind">How values of the type cross.</param>
/// <param name="Type">The type described.</param>
/// <param name="Elements">Element types (arrays, lists, nullable, tuples, dictionaries: key then value; enums: the underlying type).</param>
/// <param name="Members">Members written for objects and tuples, in declaration order.</param>
/// <param name="ConstructorParameterCount">How many constructor arguments an object is built with (0: the parameterless constructor).</param>
/// <param name="Reason">Why the type cannot cross, for <see cref="ShapeKind.Unsupported"/>.</param>
internal sealed record TypeShape(
    ShapeKind Kind,
    ITypeSymbol Type,
    ImmutableArray<ITypeSymbol> Elements,
    ImmutableArray<ShapeMember> Members,
    int ConstructorParameterCount,
    string? Reason);

/// <summary>Where, inside a parameter or result type, a type that cannot cross a process boundary sits.</summary>
/// <param name="Path">The member path from the outer type, such as <c>Order.Callback</c> or <c>Order.Lines[]</c>.</param>
/// <param name="TypeName">The offending type, as the user wrote it (<c>Action</c>).</param>
/// <param name="Reason">Why it cannot cross.</param>
internal sealed record TransferProblem(string Path, string TypeName, string Reason)
{
    /// <summary>
    /// The path and type, as diagnostics show them: <c>Order.Callback: Action</c>, or the type alone when it is the
    /// outer type itself (<c>Stream</c>, not <c>Stream: Stream</c>).
    /// </summary>
    public override string ToString() => Path == TypeName ? TypeName : $"{Path}: {TypeName}";
}

/// <summary>How the items of a queue or pipe of a type become message bytes.</summary>
internal enum ElementEncoding
{
    /// <summary>No codec: see the <see cref="TransferProblem"/> that comes with it.</summary>
    Unsupported,

    /// <summary>An unmanaged value, a <c>string</c> or a <c>byte[]</c>: the runtime copies its bytes itself (the fast path).</summary>
    Raw,

    /// <summary>Any other type that can cross: the generated codec of the assembly that names the queue or pipe.</summary>
    Generated,

    /// <summary>An open type parameter: the encoding is chosen where the type is closed.</summary>
    Open,
}

/// <summary>
/// The one definition of which types can cross a process boundary, shared by the generator (which writes a codec
/// for each supported shape) and the analyzers (which report the unsupported ones), so the two always agree.
/// </summary>
internal static class TransferableTypes
{
    private const string CrossProcessHandleInterface = "ParallelDsl.ICrossProcessHandle`1";
    private const string CrossProcessQueueType = "ParallelDsl.CrossProcessQueue`1";
    private const string PipeEndType = "ParallelDsl.PipeEnd`1";
    private const string PipeType = "ParallelDsl.Pipe";

    private static readonly SymbolDisplayFormat ShortFormat = SymbolDisplayFormat.MinimallyQualifiedFormat;

    /// <summary>Describes how values of <paramref name="type"/> cross, as seen from code in <paramref name="within"/>.</summary>
    public static TypeShape Describe(ITypeSymbol type, IAssemblySymbol within)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_Decimal:
                return Shape(ShapeKind.Primitive, type);
            case SpecialType.System_String:
                return Shape(ShapeKind.String, type);
            case SpecialType.System_DateTime:
                return Shape(ShapeKind.WellKnownValue, type);
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
                return Unsupported(type, "a native-sized integer or handle means nothing in another process");
            case SpecialType.System_Object:
                return Unsupported(type, "the declared type must be concrete for a codec to be generated");
        }

        switch (type)
        {
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return Unsupported(type, "a pointer means nothing in another process");
            case ITypeParameterSymbol:
                return Unsupported(type, "an open generic type parameter has no codec");
            case IDynamicTypeSymbol:
                return Unsupported(type, "dynamic has no codec");
            case IArrayTypeSymbol array:
                return array.Rank == 1
                    ? Shape(ShapeKind.Array, type, [array.ElementType])
                    : Unsupported(type, "only single-dimensional arrays cross a process boundary");
        }

        if (type is not INamedTypeSymbol named || named.IsUnboundGenericType)
        {
            return Unsupported(type, "this kind of type has no codec");
        }

        if (type.IsRefLikeType)
        {
            return Unsupported(type, "a ref struct (such as Span<T>) lives on the stack and cannot be copied to another process");
        }

        if (named.TypeKind == TypeKind.Delegate)
        {
            return Unsupported(type, "a delegate is code, not data: pass the data and call a [RunInProcess] method");
        }

        if (named.TypeKind == TypeKind.Enum)
        {
            return Shape(ShapeKind.Enum, type, [named.EnumUnderlyingType!]);
        }

        if (named.IsTupleType)
        {
            return Shape(ShapeKind.Tuple, type, named.TupleElements.Select(e => e.Type).ToImmutableArray(),
                named.TupleElements.Select((e, i) => new ShapeMember(e.Name, e.Type, i)).ToImmutableArray());
        }

        string metadataName = FullMetadataName(named);
        switch (metadataName)
        {
            case "System.Nullable`1":
                return Shape(ShapeKind.Nullable, type, [named.TypeArguments[0]]);
            case "System.DateTimeOffset":
            case "System.TimeSpan":
            case "System.Guid":
            case "System.DateOnly":
            case "System.TimeOnly":
                return Shape(ShapeKind.WellKnownValue, type);
            case "System.Collections.Generic.List`1":
                return Shape(ShapeKind.List, type, [named.TypeArguments[0]]);
            case "System.Collections.Generic.Dictionary`2":
                return Shape(ShapeKind.Dictionary, type, [named.TypeArguments[0], named.TypeArguments[1]]);
        }

        if (named.AllInterfaces.Any(i => FullMetadataName(i) == CrossProcessHandleInterface))
        {
            return Shape(ShapeKind.CrossProcessHandle, type);
        }

        if (IsFrameworkType(named))
        {
            return Unsupported(type, FrameworkReason(named));
        }

        return DescribeObject(named, within);
    }

    /// <summary>
    /// The element type when <paramref name="symbol"/> is a queue or pipe of the runtime that carries elements between
    /// processes: <c>CrossProcessQueue&lt;T&gt;</c>, <c>PipeEnd&lt;T&gt;</c> or the method <c>Pipe.Create&lt;T&gt;</c>;
    /// otherwise <see langword="null"/>.
    /// </summary>
    public static ITypeSymbol? ElementTypeOf(ISymbol? symbol)
    {
        switch (symbol)
        {
            case INamedTypeSymbol { TypeArguments.Length: 1 } type
                when FullMetadataName(type.OriginalDefinition) is CrossProcessQueueType or PipeEndType:
                return type.TypeArguments[0];
            case IMethodSymbol { Name: "Create", TypeArguments.Length: 1, ContainingType: { } pipe } method
                when FullMetadataName(pipe) == PipeType:
                return method.TypeArguments[0];
            default:
                return null;
        }
    }

    /// <summary>
    /// How queue and pipe items of <paramref name="type"/> are encoded, as seen from code in <paramref name="within"/>;
    /// <paramref name="problem"/> says why for <see cref="ElementEncoding.Unsupported"/>. The runtime makes the same
    /// choice: its own copy for unmanaged values, strings and byte arrays, else the generated codec.
    /// </summary>
    public static ElementEncoding DescribeElement(ITypeSymbol type, IAssemblySymbol within, out TransferProblem? problem)
    {
        problem = null;
        ITypeSymbol plain = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        if (ContainsTypeParameter(plain))
        {
            return ElementEncoding.Open;
        }

        if (plain.SpecialType == SpecialType.System_String
            || plain is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte }
            || (plain.IsUnmanagedType && plain is not (IPointerTypeSymbol or IFunctionPointerTypeSymbol)))
        {
            return ElementEncoding.Raw;
        }

        problem = FindProblem(plain, within);
        return problem is null ? ElementEncoding.Generated : ElementEncoding.Unsupported;
    }

    /// <summary>
    /// The field that holds each member <paramref name="written"/> of <paramref name="type"/> carries (its own field, or an
    /// auto-property's backing field), when those fields are the object's whole state; otherwise <see langword="null"/>,
    /// with <paramref name="uncarried"/> saying what the codec would leave behind: a private or computed field, a
    /// primary constructor's captured parameters, or fields of a base class declared in another assembly (not visible).
    /// </summary>
    public static Dictionary<string, IFieldSymbol>? CarriedFields(ITypeSymbol type, ImmutableArray<ShapeMember> written, IAssemblySymbol within, out string? uncarried)
    {
        var writtenNames = new HashSet<string>(written.Select(static member => member.Name), StringComparer.Ordinal);
        var fields = new Dictionary<string, IFieldSymbol>(StringComparer.Ordinal);
        for (ITypeSymbol? current = type;
             current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType);
             current = current.BaseType)
        {
            string name = current.ToDisplayString(ShortFormat);
            if (!SymbolEqualityComparer.Default.Equals(current.ContainingAssembly, within))
            {
                uncarried = $"the fields of '{name}' are declared in another assembly, out of the generator's sight";
                return null;
            }

            if (current is INamedTypeSymbol { IsRecord: false } named && named.DeclaringSyntaxReferences.Any(static reference =>
                    reference.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax { ParameterList: not null }))
            {
                uncarried = $"'{name}' has a primary constructor, whose captured parameters are hidden state";
                return null;
            }

            foreach (IFieldSymbol field in current.GetMembers().OfType<IFieldSymbol>())
            {
                if (field.IsStatic || field.IsConst)
                {
                    continue;
                }

                // The member the field holds: an auto-property (its backing field) or the field itself.
                string holder = field.AssociatedSymbol?.Name ?? field.Name;
                bool carried = writtenNames.Contains(holder)
                               && (field.AssociatedSymbol is IPropertySymbol || field.DeclaredAccessibility == Accessibility.Public);
                if (!carried || fields.ContainsKey(holder))
                {
                    uncarried = $"'{name}.{holder}' is state the codec does not copy (only public members are copied, and a get-only one only when a constructor parameter fills it)";
                    return null;
                }

                fields[holder] = field;
            }
        }

        uncarried = null;
        return fields;
    }

    /// <summary>
    /// Why a copy of a <paramref name="type"/> made by its codec would not be the whole object, or <see langword="null"/>
    /// when it would: an instance <c>[RunInProcess]</c> method runs in the child on such a copy, so nothing may be left behind.
    /// </summary>
    public static string? WhyNotWhollyCopied(ITypeSymbol type, IAssemblySymbol within)
    {
        if (FindProblem(type, within) is { } problem)
        {
            return $"{problem} ({problem.Reason})";
        }

        TypeShape shape = Describe(type, within);
        if (shape.Kind == ShapeKind.Object)
        {
            _ = CarriedFields(type, shape.Members, within, out string? uncarried);
            return uncarried;
        }

        return null;
    }

    private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsTypeParameter)
                                  || (named.ContainingType is { } outer && ContainsTypeParameter(outer)),
        _ => false,
    };

    /// <summary>
    /// The first place inside <paramref name="type"/> that cannot cross a process boundary, or <see langword="null"/>
    /// when every type it is made of has a codec. <paramref name="root"/> names the outer value in the path.
    /// </summary>
    public static TransferProblem? FindProblem(ITypeSymbol type, IAssemblySymbol within, string? root = null) =>
        FindProblem(type, within, root ?? type.ToDisplayString(ShortFormat), new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default));

    private static TransferProblem? FindProblem(ITypeSymbol type, IAssemblySymbol within, string path, HashSet<ITypeSymbol> visited)
    {
        ITypeSymbol unannotated = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        if (!visited.Add(unannotated))
        {
            return null;
        }

        TypeShape shape = Describe(unannotated, within);
        switch (shape.Kind)
        {
            case ShapeKind.Unsupported:
                return new TransferProblem(path, type.ToDisplayString(ShortFormat), shape.Reason!);
            case ShapeKind.Array:
            case ShapeKind.List:
                return FindProblem(shape.Elements[0], within, path + "[]", visited);
            case ShapeKind.Nullable:
                return FindProblem(shape.Elements[0], within, path, visited);
            case ShapeKind.Dictionary:
                return FindProblem(shape.Elements[0], within, path + ".Keys[]", visited)
                    ?? FindProblem(shape.Elements[1], within, path + ".Values[]", visited);
            case ShapeKind.Tuple:
            case ShapeKind.Object:
                foreach (ShapeMember member in shape.Members)
                {
                    if (FindProblem(member.Type, within, $"{path}.{member.Name}", visited) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static TypeShape DescribeObject(INamedTypeSymbol type, IAssemblySymbol within)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return Unsupported(type, type.TypeKind == TypeKind.Interface
                ? "an interface says nothing about the data: use a concrete type (List<T>, an array, a record)"
                : "this kind of type has no codec");
        }

        if (type.IsAbstract)
        {
            return Unsupported(type, "an abstract class cannot be created in the other process: use a concrete type");
        }

        if (!IsAccessible(type, within))
        {
            return Unsupported(type, "the type is not accessible to the generated codec: make it internal or public");
        }

        List<(string Name, ITypeSymbol Type, bool Settable)> candidates = PublicDataMembers(type);
        IMethodSymbol? constructor = type.InstanceConstructors
            .Where(c => IsAccessible(c, within) && c.Parameters.All(p =>
                p.RefKind == RefKind.None
                && candidates.Any(m => string.Equals(m.Name, p.Name, StringComparison.OrdinalIgnoreCase)
                                       && SymbolEqualityComparer.Default.Equals(m.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated),
                                           p.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated)))))
            .OrderByDescending(c => c.Parameters.Length)
            .FirstOrDefault();
        if (constructor is null && type.TypeKind == TypeKind.Class)
        {
            return Unsupported(type, "no accessible constructor whose parameters all match members by name and type");
        }

        ImmutableArray<IParameterSymbol> parameters = constructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty;
        var members = ImmutableArray.CreateBuilder<ShapeMember>();
        var filled = new Dictionary<int, string>();
        foreach ((string name, ITypeSymbol memberType, bool memberSettable) in candidates)
        {
            int index = IndexOfParameter(parameters, name);
            if (index >= 0 && filled.TryGetValue(index, out string? other))
            {
                return Unsupported(type, $"the members '{other}' and '{name}' both match the constructor parameter '{parameters[index].Name}': rename one");
            }

            if (index >= 0)
            {
                filled[index] = name;
            }

            if (index >= 0 || memberSettable)
            {
                members.Add(new ShapeMember(name, memberType, index));
            }

            // A get-only member with no constructor parameter is computed from the others, so it is not written.
        }

        return new TypeShape(ShapeKind.Object, type, ImmutableArray<ITypeSymbol>.Empty, members.ToImmutable(), parameters.Length, null);
    }

    /// <summary>
    /// The public instance fields and readable properties of <paramref name="type"/> and its base classes, base members
    /// first; a member redeclared in a derived class (<c>override</c> or <c>new</c>) counts once, as the derived one.
    /// </summary>
    private static List<(string Name, ITypeSymbol Type, bool Settable)> PublicDataMembers(INamedTypeSymbol type)
    {
        var levels = new List<List<(string Name, ITypeSymbol Type, bool Settable)>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (INamedTypeSymbol? current = type;
             current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType);
             current = current.BaseType)
        {
            var level = new List<(string Name, ITypeSymbol Type, bool Settable)>();
            foreach (ISymbol member in current.GetMembers())
            {
                if (member.IsStatic || member.IsImplicitlyDeclared || member.DeclaredAccessibility != Accessibility.Public
                    || !seen.Add(member.Name))
                {
                    continue;
                }

                switch (member)
                {
                    case IFieldSymbol field when !field.IsConst:
                        level.Add((field.Name, field.Type, !field.IsReadOnly));
                        break;
                    case IPropertySymbol { IsIndexer: false, GetMethod: not null } property
                        when property.GetMethod.DeclaredAccessibility == Accessibility.Public:
                        bool settable = property.SetMethod is { DeclaredAccessibility: Accessibility.Public };
                        level.Add((property.Name, property.Type, settable));
                        break;
                }
            }

            levels.Insert(0, level);
        }

        return levels.SelectMany(level => level).ToList();
    }

    private static int IndexOfParameter(ImmutableArray<IParameterSymbol> parameters, string memberName)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            if (string.Equals(parameters[i].Name, memberName, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsAccessible(ISymbol symbol, IAssemblySymbol within)
    {
        for (ISymbol? current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            switch (current.DeclaredAccessibility)
            {
                case Accessibility.Public:
                    break;
                case Accessibility.Internal:
                case Accessibility.ProtectedOrInternal:
                    if (!SymbolEqualityComparer.Default.Equals(current.ContainingAssembly, within)
                        && !current.ContainingAssembly.GivesAccessTo(within))
                    {
                        return false;
                    }

                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    private static bool IsFrameworkType(INamedTypeSymbol type)
    {
        string? ns = type.ContainingNamespace?.ToDisplayString();
        return ns is not null && (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal)
                                  || ns == "Microsoft" || ns.StartsWith("Microsoft.", StringComparison.Ordinal));
    }

    private static string FrameworkReason(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            switch (FullMetadataName(current))
            {
                case "System.IO.Stream":
                    return "a stream is tied to this process: pass the bytes (byte[]) or a path instead";
                case "System.Threading.Thread":
                    return "a thread belongs to this process";
                case "System.Threading.Tasks.Task":
                    return "a task belongs to this process: pass its result instead";
                case "System.Exception":
                    return "exceptions come back from a child as RemoteException, not as arguments";
                case "System.Runtime.InteropServices.SafeHandle":
                    return "an operating-system handle means nothing in another process";
            }
        }

        return FullMetadataName(type) == "System.Threading.CancellationToken"
            ? "a cancellation token belongs to this process: cancel by killing or joining the child"
            : "no codec for this framework type; supported: primitives, string, enums, DateTime, DateTimeOffset, TimeSpan, Guid, DateOnly, TimeOnly, arrays, List<T>, Dictionary<K,V>, tuples, and records, structs and classes made of them";
    }

    private static string FullMetadataName(INamedTypeSymbol type)
    {
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() + "." : string.Empty;
        return ns + type.MetadataName;
    }

    private static TypeShape Shape(ShapeKind kind, ITypeSymbol type, ImmutableArray<ITypeSymbol> elements = default, ImmutableArray<ShapeMember> members = default) =>
        new(kind, type, elements.IsDefault ? ImmutableArray<ITypeSymbol>.Empty : elements, members.IsDefault ? ImmutableArray<ShapeMember>.Empty : members, 0, null);

    private static TypeShape Unsupported(ITypeSymbol type, string reason) =>
        new(ShapeKind.Unsupported, type, ImmutableArray<ITypeSymbol>.Empty, ImmutableArray<ShapeMember>.Empty, 0, reason);
}
