namespace ParallelDsl.Generator;

// Like every model (see Common/TypeModels.cs), these are immutable records compared by value that hold only strings, numbers and
// other models, so the incremental pipeline can cache them.

/// <summary>Whether a <c>[SharedValue]</c> property is a single value or an array.</summary>
internal enum SharedValueKind
{
    Value,
    Array,
}

/// <summary>A <c>[SharedValue]</c> property, reduced to what its generated body needs.</summary>
/// <param name="Type">The declaring type.</param>
/// <param name="Name">The property name.</param>
/// <param name="Modifiers">The property's accessibility modifiers as written (possibly empty), repeated on the implementation.</param>
/// <param name="PropertyType">The fully qualified property type, such as <c>global::ParallelDsl.Shared&lt;int&gt;</c>.</param>
/// <param name="ElementType">The fully qualified <c>T</c>.</param>
/// <param name="Kind">A value or an array.</param>
/// <param name="Length">The attribute's <c>Length</c> (arrays only; zero for values).</param>
/// <param name="InitialValue">The initial value as a C# expression of type <c>T</c>.</param>
/// <param name="QualifiedName">The property's namespace-qualified name: with the session id, it names the shared memory.</param>
/// <param name="CreatedAtStartup">
/// Whether a module initializer can reach the property (every type of the chain is at least internal), so the main
/// process creates it at start-up.
/// </param>
internal sealed record SharedValueModel(
    TypeIdentityModel Type,
    string Name,
    string Modifiers,
    string PropertyType,
    string ElementType,
    SharedValueKind Kind,
    int Length,
    string InitialValue,
    string QualifiedName,
    bool CreatedAtStartup);

/// <summary>The <c>[SharedValue]</c> properties of one partial type: one generated file.</summary>
internal sealed record TypeSharedValuesModel(TypeIdentityModel Type, EquatableArray<SharedValueModel> Values);
