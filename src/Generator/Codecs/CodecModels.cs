using ParallelDsl.Roslyn;

namespace ParallelDsl.Generator;

// Like every model (see Common/TypeModels.cs): immutable records compared by value that hold only strings, numbers
// and other models, so nothing from the compilation outlives the parse step.

/// <summary>A member an object codec writes and restores.</summary>
/// <param name="Name">The member's name, escaped with <c>@</c> when it is a keyword.</param>
/// <param name="TypeKey">The <see cref="CodecModel.Key"/> of the member's type.</param>
/// <param name="ConstructorIndex">The matching constructor parameter's position, or -1.</param>
/// <param name="InInitializer">Whether the member is set in the object initializer (not in the constructor, or <c>required</c>).</param>
/// <param name="RestoreField">
/// When the object is restored without its constructor (<see cref="CodecModel.SkipsConstructor"/>): the field that
/// holds the member (its own name, or an auto-property's backing field), written through an <c>UnsafeAccessor</c>;
/// <see langword="null"/> when the member is assigned directly.
/// </param>
/// <param name="RestoreFieldOwner">The key of the type that declares <paramref name="RestoreField"/>.</param>
internal sealed record CodecMemberModel(string Name, string TypeKey, int ConstructorIndex, bool InInitializer, string? RestoreField = null, string? RestoreFieldOwner = null);

/// <summary>The codec of one type: a Write/Read pair in the generated codec class. Immutable and value-equatable.</summary>
/// <param name="Key">
/// The type as C# text, fully qualified, without nullable reference annotations or tuple element names: the same
/// runtime type always has the same key, so each codec is written once and found by overload resolution.
/// </param>
/// <param name="Kind">How values cross (never <see cref="ShapeKind.Unsupported"/>).</param>
/// <param name="IsValueType">Whether the type is a value type (no null marker).</param>
/// <param name="IsSealed">Whether no subclass can exist, so the writer need not check the run-time type.</param>
/// <param name="WireName">
/// For primitives, well-known values and enums (their underlying type): the suffix of the
/// <c>WireWriter.Write…</c>/<c>WireReader.Read…</c> pair (<c>Int32</c>, <c>DateTime</c>).
/// </param>
/// <param name="Elements">Keys of the element types (arrays, lists, nullable, tuples; dictionaries: key, value; enums: the underlying type).</param>
/// <param name="Members">The members of an object, in declaration order.</param>
/// <param name="ConstructorParameterCount">How many constructor arguments an object is built with.</param>
/// <param name="MinimumSize">The fewest bytes a value takes, which bounds how many items a count may announce.</param>
/// <param name="IsBlock">For arrays and lists of numbers or chars: the items are copied as one block.</param>
/// <param name="SkipsConstructor">
/// For objects whose whole state the codec carries: decoding makes the object without running a constructor and sets
/// its fields, as pickle does, so a constructor's side effects do not happen again in the other process.
/// </param>
internal sealed record CodecModel(
    string Key,
    ShapeKind Kind,
    bool IsValueType,
    bool IsSealed,
    string? WireName,
    EquatableArray<string> Elements,
    EquatableArray<CodecMemberModel> Members,
    int ConstructorParameterCount,
    int MinimumSize,
    bool IsBlock,
    bool SkipsConstructor = false);

/// <summary>A queue or pipe element type whose items go through a generated codec.</summary>
/// <param name="Key">The <see cref="CodecModel.Key"/> of the element type's codec, registered for the runtime.</param>
/// <param name="Codecs">The codecs of every type the element type is made of.</param>
internal sealed record ElementCodecModel(string Key, EquatableArray<CodecModel> Codecs);

/// <summary>The assembly's codec class: every codec its process methods and queue and pipe elements need.</summary>
/// <param name="Codecs">Each distinct codec once, ordered by key.</param>
/// <param name="Elements">The keys of the element types registered for queues and pipes, ordered.</param>
/// <param name="HasProcessMethods">Whether the assembly has process methods (their holders name the codec class even when it is empty).</param>
internal sealed record CodecAssemblyModel(EquatableArray<CodecModel> Codecs, EquatableArray<string> Elements, bool HasProcessMethods)
{
    /// <summary>Whether there is anything to write.</summary>
    public bool IsEmpty => !HasProcessMethods && Elements.Count == 0;
}
