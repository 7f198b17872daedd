using ParallelDsl.Roslyn;

namespace ParallelDsl.Generator;

// Like Models.cs: immutable records compared by value (collections through EquatableArray) that hold only strings,
// numbers and other models, so nothing from the compilation outlives the parse step.

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

/// <summary>A <c>[RunInProcess]</c> method, reduced to what its launchers, dispatch entry and codecs need.</summary>
/// <param name="Type">The declaring type.</param>
/// <param name="Name">The method name.</param>
/// <param name="Accessibility">The method's accessibility keywords, reused for its launchers.</param>
/// <param name="Parameters">The method's parameters.</param>
/// <param name="ParameterCodecs">The codec key of each parameter.</param>
/// <param name="Result">What the method returns.</param>
/// <param name="ResultType">The fully qualified result type (the awaited type for tasks), or <see langword="null"/>.</param>
/// <param name="ResultCodec">The codec key of the result, or <see langword="null"/>.</param>
/// <param name="Id">The stable method id: FNV-1a over the fully qualified method name and parameter types.</param>
/// <param name="DisplayName">The method as messages show it: <c>Demo.Program.Square(int)</c>.</param>
/// <param name="ProcessName">The attribute's <c>Name</c>, or <see langword="null"/>.</param>
/// <param name="Daemon">The attribute's <c>Daemon</c>.</param>
/// <param name="Codecs">The codecs of every type the parameters and result are made of.</param>
/// <param name="HolderName">The nested class that holds the id, encoder, decoder and invoker (<c>SquareProcess</c>; overloads add their id).</param>
/// <param name="ReachableTypes">
/// How many types of the chain, outermost first, the rest of the assembly can name. Fewer than all when a nested type
/// is private or protected: the dispatch table and the pool interceptors then reach the holder through members that
/// the generated code forwards out to the last type they can name.
/// </param>
/// <param name="InstanceCodec">
/// For an instance method: the codec key of its type. The launcher encodes <c>this</c> before the arguments and the
/// child calls the method on the decoded copy. <see langword="null"/> for a static method.
/// </param>
internal sealed record ProcessMethodModel(
    TypeIdentityModel Type,
    string Name,
    string Accessibility,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<string> ParameterCodecs,
    ResultKind Result,
    string? ResultType,
    string? ResultCodec,
    ulong Id,
    string DisplayName,
    string? ProcessName,
    bool Daemon,
    EquatableArray<CodecModel> Codecs,
    string HolderName,
    int ReachableTypes,
    string? InstanceCodec = null);

/// <summary>The process methods of one partial type: the file <c>{Namespace}.{Type}.Process.g.cs</c>.</summary>
internal sealed record ProcessTypeModel(TypeIdentityModel Type, EquatableArray<ProcessMethodModel> Methods);

/// <summary>One entry of the generated dispatch table.</summary>
/// <param name="Holder">The fully qualified nested class holding the method's id, name and invoker.</param>
/// <param name="HasBatchInvoker">Whether the holder also has the invoker of a batch of pool tasks.</param>
/// <param name="Forwarded">
/// For a holder in a type the dispatch table cannot name: the forwarded method that describes it
/// (<c>global::Demo.Outer.__ParallelDsl_…_Method</c>), which the entry calls with the assembly; else <see langword="null"/>.
/// </param>
internal sealed record DispatchEntryModel(string Holder, bool HasBatchInvoker, string? Forwarded = null);

/// <summary>The dispatch table, generated once per assembly (the codec class has its own <see cref="CodecAssemblyModel"/>).</summary>
internal sealed record ProcessAssemblyModel(EquatableArray<DispatchEntryModel> Entries);

/// <summary>What parsing a [RunInProcess] method gave: its model, or the stub of a rejected method (exactly one is set).</summary>
internal sealed record ParsedProcessMethodModel(ProcessMethodModel? Launchable, RejectedMethodModel? Rejected);
