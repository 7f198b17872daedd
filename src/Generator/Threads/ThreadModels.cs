namespace ParallelDsl.Generator;

// Like every model (see Common/TypeModels.cs): immutable records compared by value that hold only strings, numbers
// and other models, so nothing from the compilation outlives the parse step.

/// <summary>A <c>[RunInThread]</c> method, reduced to what its launcher needs.</summary>
/// <param name="Type">The declaring type.</param>
/// <param name="Name">The method name.</param>
/// <param name="Accessibility">The method's accessibility keywords, reused for its launcher.</param>
/// <param name="IsStatic">Whether the method (and so the launcher) is static.</param>
/// <param name="Parameters">The method's parameters.</param>
/// <param name="Result">What the method returns.</param>
/// <param name="ResultType">The fully qualified result type (the <c>T</c> of <c>Task&lt;T&gt;</c>), or <see langword="null"/>.</param>
/// <param name="ThreadName">The attribute's <c>Name</c>, or <see langword="null"/>.</param>
/// <param name="Daemon">The attribute's <c>Daemon</c>.</param>
/// <param name="MaxConcurrency">The attribute's <c>MaxConcurrency</c>; zero for no limit.</param>
internal sealed record ThreadMethodModel(
    TypeIdentityModel Type,
    string Name,
    string Accessibility,
    bool IsStatic,
    EquatableArray<ParameterModel> Parameters,
    ResultKind Result,
    string? ResultType,
    string? ThreadName,
    bool Daemon,
    int MaxConcurrency);

/// <summary>Everything generated into one partial type: the file <see cref="TypeIdentityModel.HintName"/>.</summary>
internal sealed record TypeLaunchersModel(TypeIdentityModel Type, EquatableArray<ThreadMethodModel> ThreadMethods);

/// <summary>What parsing a [RunInThread] method gave: its model, or the stub of a rejected method (exactly one is set).</summary>
internal sealed record ParsedThreadMethodModel(ThreadMethodModel? Launchable, RejectedMethodModel? Rejected);
