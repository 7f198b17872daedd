namespace ParallelDsl.Generator;

// Every model of the generator is an immutable record, compared by value (collections through EquatableArray),
// and holds only strings, numbers and other models: nothing from the compilation (no ISymbol, SyntaxNode,
// SemanticModel, Compilation or Location) survives the parse step, so the incremental pipeline can cache what it
// produced. This file holds what every kind of generated code shares: where the code goes, parameters and results.

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
