namespace ParallelDsl.Generator;

// Like every model (see Common/TypeModels.cs): immutable records compared by value that hold only strings, numbers
// and other models, so nothing from the compilation outlives the parse step.

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
/// <param name="ShapeId">
/// The stable shape id: FNV-1a over how the method's codecs lay out its arguments and result (<see cref="CodecShape"/>),
/// which tells two builds with the same <paramref name="Id"/> but differently encoded types apart.
/// </param>
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
/// <param name="PoolDescriptor">
/// The pool descriptor a map over the method is redirected to, or <see langword="null"/> when pools cannot run it:
/// <c>Function</c> (one to three parameters, a plain result), <c>Procedure</c> (one parameter, <see langword="void"/>:
/// <c>pool.Map(Log, items)</c>) or <c>Action</c> (parameterless and <see langword="void"/>: an initializer).
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
    ulong ShapeId,
    string DisplayName,
    string? ProcessName,
    bool Daemon,
    EquatableArray<CodecModel> Codecs,
    string HolderName,
    int ReachableTypes,
    string? InstanceCodec = null,
    string? PoolDescriptor = null)
{
    /// <summary>Whether the method's holder has the invoker of a batch of pool tasks.</summary>
    public bool HasBatchInvoker => PoolDescriptor is "Function" or "Procedure";
}

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
