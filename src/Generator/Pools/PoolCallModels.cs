namespace ParallelDsl.Generator;

// Like every model (see Common/TypeModels.cs): immutable records compared by value that hold only strings and
// numbers, so nothing from the compilation outlives the parse step. A call's location data changes whenever its file changes, which is expected.

/// <summary>
/// A pool call whose delegate argument is a <c>[RunInProcess]</c> method group, such as <c>pool.Map(Square, items)</c>,
/// and how to redirect it to the method's generated descriptor. Immutable and value-equatable.
/// </summary>
/// <param name="LocationVersion">The version of <see cref="LocationData"/>, for <c>[InterceptsLocation(version, data)]</c>.</param>
/// <param name="LocationData">The encoded location of the call, for <c>[InterceptsLocation(version, data)]</c>.</param>
/// <param name="DisplayLocation">Where the call is, for a comment (<c>Program.cs(12,27)</c>).</param>
/// <param name="IsInstance">Whether the call is on a pool instance (the interceptor takes it as <c>this</c>); static for <c>ProcessAction.Of</c>.</param>
/// <param name="ReceiverType">The fully qualified type the method is called on.</param>
/// <param name="MethodName">The called method (<c>Map</c>, <c>Submit</c>, <c>Of</c>…).</param>
/// <param name="ReturnType">The called method's return type, type arguments substituted.</param>
/// <param name="Parameters">The called method's parameters, type arguments substituted; the first one is the delegate.</param>
/// <param name="Descriptor">The descriptor the call is redirected to: <c>{holder}.Function</c> or <c>{holder}.Action</c>.</param>
internal sealed record PoolCallModel(
    int LocationVersion,
    string LocationData,
    string DisplayLocation,
    bool IsInstance,
    string ReceiverType,
    string MethodName,
    string ReturnType,
    EquatableArray<ParameterModel> Parameters,
    string Descriptor);
