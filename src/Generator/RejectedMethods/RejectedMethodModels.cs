namespace ParallelDsl.Generator;

// Like every model (see Common/TypeModels.cs): immutable records compared by value that hold only strings, numbers
// and other models, so nothing from the compilation outlives the parse step.

/// <summary>
/// A method marked [RunInThread] or [RunInProcess] that no launcher can be written for (see <c>LaunchTarget</c>):
/// the generator still declares its launchers, with a body that throws, so that the analyzers' diagnostic is the only
/// error the user sees rather than a second one at every call ("'Start…' does not exist"). Immutable and value-equatable.
/// </summary>
/// <param name="Type">The declaring type.</param>
/// <param name="Name">The method name.</param>
/// <param name="Modifiers">The launcher's modifiers: the method's accessibility, <c>static</c>, <c>unsafe</c> as the method needs.</param>
/// <param name="TypeParameters">The method's type parameter list (<c>&lt;T&gt;</c>), or empty.</param>
/// <param name="Parameters">The launcher's parameter declarations, as the method declares them.</param>
/// <param name="Handle">The fully qualified handle type the launcher returns.</param>
/// <param name="InChildProcess">Whether the method is marked [RunInProcess] (a second launcher takes <c>ProcessOptions</c>).</param>
/// <param name="OptionsParameters">For [RunInProcess]: the parameter declarations of the launcher that takes <c>ProcessOptions</c>.</param>
/// <param name="DiagnosticId">The rule that reports why the method cannot be launched.</param>
internal sealed record RejectedMethodModel(
    TypeIdentityModel Type,
    string Name,
    string Modifiers,
    string TypeParameters,
    EquatableArray<string> Parameters,
    string Handle,
    bool InChildProcess,
    EquatableArray<string> OptionsParameters,
    string DiagnosticId);

/// <summary>The launcher stubs of one partial type: the file <c>{Namespace}.{Type}.Rejected.g.cs</c>.</summary>
internal sealed record TypeRejectedMethodsModel(TypeIdentityModel Type, EquatableArray<RejectedMethodModel> Methods);
