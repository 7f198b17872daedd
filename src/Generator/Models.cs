namespace ParallelDsl.Generator;

// Every model below is an immutable record, compared by value (collections through EquatableArray), and holds
// only strings, numbers and other models: nothing from the compilation (no ISymbol, SyntaxNode, SemanticModel,
// Compilation or Location) survives the parse step, so the incremental pipeline can cache what it produced.

/// <summary>One type of the chain that declares an annotated method, outermost first.</summary>
/// <param name="Keyword">The declaration keyword(s): <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c>.</param>
/// <param name="Name">The type's name with its type parameter list, if any (<c>Outer&lt;T&gt;</c>).</param>
internal sealed record ContainingTypeModel(string Keyword, string Name);

/// <summary>Where generated members go: a namespace (none for the global namespace) and the chain of partial types.</summary>
internal sealed record TypeIdentityModel(string? Namespace, EquatableArray<ContainingTypeModel> Types)
{
    /// <summary>A deterministic, file-name-safe hint: <c>{Namespace}.{Outer}.{Inner}.g.cs</c>.</summary>
    public string HintName
    {
        get
        {
            var parts = new System.Collections.Generic.List<string>();
            if (Namespace is not null)
            {
                parts.Add(Namespace);
            }

            foreach (ContainingTypeModel type in Types)
            {
                parts.Add(type.Name.Replace('<', '{').Replace('>', '}').Replace(", ", ","));
            }

            return string.Join(".", parts) + ".g.cs";
        }
    }

    /// <summary>The hint of another file for the same type: <c>{Namespace}.{Type}.{part}.g.cs</c>.</summary>
    public string HintNameFor(string part) => HintName.Substring(0, HintName.Length - ".g.cs".Length) + "." + part + ".g.cs";
}

/// <summary>A parameter of an annotated method, as the launcher re-declares it.</summary>
/// <param name="Name">The parameter name, escaped with <c>@</c> when it is a keyword.</param>
/// <param name="Type">The fully qualified type, with nullable annotations.</param>
/// <param name="DefaultValue">The default value as C# text, or <see langword="null"/> when the parameter has none.</param>
/// <param name="IsParams">Whether the parameter is a <c>params</c> array, which the launcher must declare the same way.</param>
internal sealed record ParameterModel(string Name, string Type, string? DefaultValue, bool IsParams = false);

/// <summary>What an annotated method returns, which decides the launcher's handle type and how it is run.</summary>
internal enum ResultKind
{
    Void,
    Value,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

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

/// <summary>What parsing a [RunInThread] method gave: its model, or the stub of a rejected method (exactly one is set).</summary>
internal sealed record ParsedThreadMethodModel(ThreadMethodModel? Launchable, RejectedMethodModel? Rejected);
