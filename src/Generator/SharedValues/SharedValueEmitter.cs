using System.Linq;
using ParallelDsl.Roslyn;
using static ParallelDsl.Generator.GeneratedFile;

namespace ParallelDsl.Generator;

/// <summary>Writes the bodies of a type's <c>[SharedValue]</c> properties, and the module initializer that creates them.</summary>
internal static class SharedValueEmitter
{

    /// <summary>The file name: beside the type's launchers file, <c>{Namespace}.{Type}.SharedValues.g.cs</c>.</summary>
    public static string HintName(TypeIdentityModel type) => type.HintName.Substring(0, type.HintName.Length - ".g.cs".Length) + ".SharedValues.g.cs";

    public static string Emit(TypeSharedValuesModel model)
    {
        var writer = new SourceWriter();
        GeneratedFile.WriteHeader(writer);

        TypeIdentityModel type = model.Type;
        SourceWriter.Block? namespaceBlock = type.Namespace is null ? null : writer.OpenBlock($"namespace {type.Namespace}");
        var typeBlocks = type.Types.Select(t => writer.OpenBlock($"partial {t.Keyword} {t.Name}")).ToList();

        for (int i = 0; i < model.Values.Count; i++)
        {
            if (i > 0)
            {
                writer.WriteLine();
            }

            WriteProperty(writer, model.Values[i]);
        }

        WriteStartupCreation(writer, model.Values.Where(value => value.CreatedAtStartup).ToList());

        for (int i = typeBlocks.Count - 1; i >= 0; i--)
        {
            typeBlocks[i].Dispose();
        }

        namespaceBlock?.Dispose();
        return writer.ToString();
    }

    private static void WriteProperty(SourceWriter writer, SharedValueModel value)
    {
        string field = FieldName(value);
        string name = Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value.QualifiedName, quote: true);
        string factory = value.Kind == SharedValueKind.Array
            ? $"{WellKnownNames.SharedValueRegistry}.Array<{value.ElementType}>({name}, {value.Length}, {value.InitialValue})"
            : $"{WellKnownNames.SharedValueRegistry}.Value<{value.ElementType}>({name}, {value.InitialValue})";
        string modifiers = value.Modifiers.Length == 0 ? string.Empty : value.Modifiers + " ";
        writer.WriteLine($$"""
            {{GeneratedCode}}
            private static {{value.PropertyType}}? {{field}};

            {{GeneratedCode}}
            {{modifiers}}static partial {{value.PropertyType}} {{value.Name}}
            {
                get => {{field}} ??= {{factory}};
            }
            """);
    }

    private static void WriteStartupCreation(SourceWriter writer, System.Collections.Generic.List<SharedValueModel> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        // CA2255 asks libraries not to use module initializers; creating shared memory before any worker can start is
        // exactly the generator scenario the rule allows.
        writer.WriteLine();
        writer.WriteLine($$"""
            /// <summary>Creates the shared values in the main process at start-up, before any worker can open them.</summary>
            {{GeneratedCode}}
            #pragma warning disable CA2255
            [global::System.Runtime.CompilerServices.ModuleInitializer]
            #pragma warning restore CA2255
            internal static void __ParallelDsl_CreateSharedValues()
            {
                if ({{WellKnownNames.SharedValueRegistry}}.CreatesAtStartup)
                {
            """);
        foreach (SharedValueModel value in values)
        {
            writer.WriteLine($"        _ = {value.Name};");
        }

        writer.WriteLine("""
                }
            }
            """);
    }

    private static string FieldName(SharedValueModel value) => $"__ParallelDsl_{value.Name}";
}
