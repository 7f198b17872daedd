using System.Linq;

using ParallelDsl.Roslyn;
using static ParallelDsl.Generator.GeneratedFile;

namespace ParallelDsl.Generator;

/// <summary>
/// Writes the assembly's codec class: a <c>Write</c>/<c>Read</c> overload pair per distinct type, found by overload
/// resolution on the value's type, so callers never need a codec's name.
/// </summary>
internal static class CodecEmitter
{
    private const string Hidden = "[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]";

    /// <summary>The hint name of the codec class, one per assembly.</summary>
    public const string HintName = "ParallelDsl.ProcessCodecs.g.cs";

    public static string Emit(CodecAssemblyModel model)
    {
        EquatableArray<CodecModel> codecs = model.Codecs;
        var lookup = codecs.ToDictionary(static codec => codec.Key, System.StringComparer.Ordinal);
        var writer = new SourceWriter();
        GeneratedFile.WriteHeader(writer);
        using (writer.OpenBlock($"namespace {WellKnownNames.GeneratedNamespace}"))
        {
            writer.WriteLine($"""
                /// <summary>Encodes and decodes the arguments and results of this assembly's <c>[RunInProcess]</c> methods, and its queue and pipe elements.</summary>
                {GeneratedCode}
                {Hidden}
                """);
            using (writer.OpenBlock($"internal static class {WellKnownNames.ProcessCodecsClass}"))
            {
                for (int i = 0; i < codecs.Count; i++)
                {
                    if (i > 0)
                    {
                        writer.WriteLine();
                    }

                    WriteCodec(writer, codecs[i], i, lookup);
                }

                WriteElementRegistration(writer, model.Elements);
            }
        }

        return writer.ToString();
    }

    /// <summary>
    /// The null-forgiving operator where a value declared by the user meets a codec of type <paramref name="key"/> that has
    /// type arguments (generics, arrays, tuples): codecs are keyed without nullable annotations, so a
    /// <c>List&lt;string?&gt;</c> goes through the <c>List&lt;string&gt;</c> codec, which is the same runtime type.
    /// </summary>
    public static string NullForgiving(string key) => key.IndexOfAny(['<', '(', '[']) >= 0 ? "!" : string.Empty;

    // The runtime finds a queue's codec through a generic registry: no reflection, so it trims and runs under NativeAOT.
    private static void WriteElementRegistration(SourceWriter writer, EquatableArray<string> elements)
    {
        if (elements.Count == 0)
        {
            return;
        }

        writer.WriteLine("""

            /// <summary>Registers the codecs of this assembly's queue and pipe element types with the runtime when the assembly loads.</summary>
            [global::System.Runtime.CompilerServices.ModuleInitializer]
            """);
        using (writer.OpenBlock("internal static void RegisterElementCodecs()"))
        {
            foreach (string element in elements)
            {
                writer.WriteLine($"{WellKnownNames.ElementCodecs}.Register<{element}>(Write, Read);");
            }
        }
    }

    private static void WriteCodec(SourceWriter writer, CodecModel codec, int index, System.Collections.Generic.Dictionary<string, CodecModel> lookup)
    {
        string valueType = codec.IsValueType ? codec.Key : codec.Key + "?";
        string writeHeader = $"internal static void Write(ref {WellKnownNames.WireWriter} writer, {valueType} value)";
        string readHeader = $"internal static void Read(ref {WellKnownNames.WireReader} reader, out {codec.Key} value)";
        switch (codec.Kind)
        {
            case ShapeKind.Primitive:
            case ShapeKind.WellKnownValue:
                writer.WriteLine($"""
                    {writeHeader} => writer.Write{codec.WireName}(value);

                    {readHeader} => value = reader.Read{codec.WireName}();
                    """);
                return;
            case ShapeKind.String:
                writer.WriteLine($"""
                    {writeHeader} => writer.WriteString(value);

                    {readHeader} => value = reader.ReadString()!;
                    """);
                return;
            case ShapeKind.Enum:
                writer.WriteLine($"""
                    {writeHeader} => writer.Write{codec.WireName}(({codec.Elements[0]})value);

                    {readHeader} => value = ({codec.Key})reader.Read{codec.WireName}();
                    """);
                return;
        }

        using (writer.OpenBlock(writeHeader))
        {
            WriteBody(writer, codec);
        }

        writer.WriteLine();
        using (writer.OpenBlock(readHeader))
        {
            ReadBody(writer, codec, index, lookup);
        }

        WriteFieldAccessors(writer, codec, index);
    }

    private static void WriteBody(SourceWriter writer, CodecModel codec)
    {
        switch (codec.Kind)
        {
            case ShapeKind.Nullable:
                writer.WriteLine("""
                    writer.WriteBoolean(value.HasValue);
                    if (value.HasValue)
                    {
                        Write(ref writer, value.GetValueOrDefault());
                    }
                    """);
                break;
            case ShapeKind.Array or ShapeKind.List when codec.IsBlock:
                writer.WriteLine("writer.WriteBlock(value);");
                break;
            case ShapeKind.Array:
            case ShapeKind.List:
            case ShapeKind.Dictionary:
                WriteNullCheck(writer, "writer.WriteNullCount();");
                if (codec.Kind != ShapeKind.Array)
                {
                    // List<T> and Dictionary<K,V> are not sealed: a subclass's own data would be lost.
                    writer.WriteLine($"{WellKnownNames.WireWriter}.RequireExactType(value, typeof({codec.Key}));");
                }

                writer.WriteLine($"writer.BeginCollection(value.{(codec.Kind == ShapeKind.Array ? "Length" : "Count")});");
                string loop = codec.Kind == ShapeKind.Dictionary
                    ? $"foreach (global::System.Collections.Generic.KeyValuePair<{codec.Elements[0]}, {codec.Elements[1]}> item in value)"
                    : $"foreach ({codec.Elements[0]} item in value)";
                using (writer.OpenBlock(loop))
                {
                    writer.WriteLine(codec.Kind == ShapeKind.Dictionary
                        ? """
                          Write(ref writer, item.Key);
                          Write(ref writer, item.Value);
                          """
                        : "Write(ref writer, item);");
                }

                writer.WriteLine();
                writer.WriteLine("writer.EndCollection();");
                break;
            case ShapeKind.Tuple:
                for (int i = 0; i < codec.Elements.Count; i++)
                {
                    writer.WriteLine($"Write(ref writer, value.Item{i + 1});");
                }

                break;
            case ShapeKind.CrossProcessHandle:
                writer.WriteLine(codec.IsValueType ? "writer.WriteString(value.HandleName);" : "writer.WriteString(value?.HandleName);");
                break;
            case ShapeKind.Object:
                WriteObject(writer, codec);
                break;
        }
    }

    private static void WriteObject(SourceWriter writer, CodecModel codec)
    {
        if (!codec.IsValueType)
        {
            string begin = codec.IsSealed ? "writer.BeginObject(value)" : $"writer.BeginObject(value, typeof({codec.Key}))";
            using (writer.OpenBlock($"if (!{begin})"))
            {
                writer.WriteLine("return;");
            }

            writer.WriteLine();
        }
        else if (codec.Members.Count == 0)
        {
            // A struct without data still takes one byte, so that a count of such structs is bounded by the data's length.
            writer.WriteLine("writer.WriteByte(0);");
        }

        foreach (CodecMemberModel member in codec.Members)
        {
            writer.WriteLine($"Write(ref writer, value.{member.Name}{NullForgiving(member.TypeKey)});");
        }

        if (!codec.IsValueType)
        {
            writer.WriteLine("writer.EndObject();");
        }
    }

    private static void ReadBody(SourceWriter writer, CodecModel codec, int index, System.Collections.Generic.Dictionary<string, CodecModel> lookup)
    {
        switch (codec.Kind)
        {
            case ShapeKind.Nullable:
                writer.WriteLine($$"""
                    if (reader.ReadBoolean())
                    {
                        Read(ref reader, out {{codec.Elements[0]}} inner);
                        value = inner;
                    }
                    else
                    {
                        value = null;
                    }
                    """);
                break;
            case ShapeKind.Array when codec.IsBlock:
                writer.WriteLine($"value = reader.ReadBlockArray<{codec.Elements[0]}>()!;");
                break;
            case ShapeKind.List when codec.IsBlock:
                writer.WriteLine($"value = reader.ReadBlockList<{codec.Elements[0]}>()!;");
                break;
            case ShapeKind.Array:
            case ShapeKind.List:
            case ShapeKind.Dictionary:
                ReadCollection(writer, codec, lookup);
                break;
            case ShapeKind.Tuple:
                for (int i = 0; i < codec.Elements.Count; i++)
                {
                    writer.WriteLine($"Read(ref reader, out {codec.Elements[i]} item{i + 1});");
                }

                string items = string.Join(", ", codec.Elements.Select((_, i) => $"item{i + 1}"));
                writer.WriteLine(codec.Elements.Count == 1 ? $"value = new {codec.Key}({items});" : $"value = ({items});");
                break;
            case ShapeKind.CrossProcessHandle:
                writer.WriteLine(codec.IsValueType
                    ? $"value = {codec.Key}.OpenHandle(reader.ReadRequiredString(\"the handle name of a {codec.Key}\"));"
                    : $"""
                       string? name = reader.ReadString();
                       value = name is null ? null! : {codec.Key}.OpenHandle(name);
                       """);
                break;
            case ShapeKind.Object:
                ReadObject(writer, codec, index);
                break;
        }
    }

    private static void ReadCollection(SourceWriter writer, CodecModel codec, System.Collections.Generic.Dictionary<string, CodecModel> lookup)
    {
        int itemSize = codec.Elements.Sum(element => lookup[element].MinimumSize);
        writer.WriteLine($"int count = reader.BeginCollection({itemSize});");
        using (writer.OpenBlock("if (count < 0)"))
        {
            writer.WriteLine("""
                value = null!;
                return;
                """);
        }

        writer.WriteLine();
        switch (codec.Kind)
        {
            case ShapeKind.Array:
                writer.WriteLine($$"""
                    value = {{NewArray(codec.Elements[0])}};
                    for (int i = 0; i < value.Length; i++)
                    {
                        Read(ref reader, out value[i]);
                    }

                    """);
                break;
            case ShapeKind.List:
                writer.WriteLine($$"""
                    value = new {{codec.Key}}(count);
                    for (int i = 0; i < count; i++)
                    {
                        Read(ref reader, out {{codec.Elements[0]}} item);
                        value.Add(item);
                    }

                    """);
                break;
            default:
                CodecModel key = lookup[codec.Elements[0]];
                string invalidKey = key.IsValueType && key.Kind != ShapeKind.Nullable ? string.Empty : "key is null || ";
                writer.WriteLine($$"""
                    value = new {{codec.Key}}(count);
                    for (int i = 0; i < count; i++)
                    {
                        Read(ref reader, out {{codec.Elements[0]}} key);
                        Read(ref reader, out {{codec.Elements[1]}} item);
                        if ({{invalidKey}}!value.TryAdd(key, item))
                        {
                            throw reader.InvalidDictionaryKey();
                        }
                    }

                    """);
                break;
        }

        writer.WriteLine("reader.EndCollection();");
    }

    private static void ReadObject(SourceWriter writer, CodecModel codec, int index)
    {
        if (!codec.IsValueType)
        {
            using (writer.OpenBlock("if (!reader.BeginObject())"))
            {
                writer.WriteLine("""
                    value = null!;
                    return;
                    """);
            }

            writer.WriteLine();
        }
        else if (codec.Members.Count == 0)
        {
            writer.WriteLine("reader.ReadByte();");
        }

        for (int i = 0; i < codec.Members.Count; i++)
        {
            writer.WriteLine($"Read(ref reader, out {codec.Members[i].TypeKey} member{i});");
        }

        if (!codec.IsValueType)
        {
            writer.WriteLine("reader.EndObject();");
        }

        if (codec.SkipsConstructor)
        {
            RestoreObject(writer, codec, index);
            return;
        }

        var constructorArguments = new string[codec.ConstructorParameterCount];
        var initializers = new System.Collections.Generic.List<string>();
        for (int i = 0; i < codec.Members.Count; i++)
        {
            CodecMemberModel member = codec.Members[i];
            if (member.ConstructorIndex >= 0)
            {
                constructorArguments[member.ConstructorIndex] = $"member{i}{NullForgiving(member.TypeKey)}";
            }

            if (member.InInitializer)
            {
                initializers.Add($"{member.Name} = member{i}{NullForgiving(member.TypeKey)}");
            }
        }

        string construction = $"new {codec.Key}({string.Join(", ", constructorArguments)})";
        writer.WriteLine(initializers.Count == 0
            ? $"value = {construction};"
            : $"value = {construction} {{ {string.Join(", ", initializers)} }};");
    }

    // Made without a constructor (as pickle does), so that a constructor's side effects do not run again here; every
    // field of the type is one the codec carries (the model says so), so nothing is left as the constructor would set it.
    // GetUninitializedObject of a typeof() and UnsafeAccessor are both resolved ahead of time: NativeAOT and trimming keep working.
    private static void RestoreObject(SourceWriter writer, CodecModel codec, int index)
    {
        writer.WriteLine(codec.IsValueType
            ? "value = default;"
            : $"value = ({codec.Key})global::System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof({codec.Key}));");
        for (int i = 0; i < codec.Members.Count; i++)
        {
            CodecMemberModel member = codec.Members[i];
            string item = $"member{i}{NullForgiving(member.TypeKey)}";
            writer.WriteLine(member.RestoreField is null
                ? $"value.{member.Name} = {item};"
                : $"{FieldAccessor(index, i)}({(codec.IsValueType ? "ref " : "")}value) = {item};");
        }
    }

    private static void WriteFieldAccessors(SourceWriter writer, CodecModel codec, int index)
    {
        for (int i = 0; i < codec.Members.Count; i++)
        {
            CodecMemberModel member = codec.Members[i];
            if (member.RestoreField is null)
            {
                continue;
            }

            writer.WriteLine($"""

                [global::System.Runtime.CompilerServices.UnsafeAccessor(global::System.Runtime.CompilerServices.UnsafeAccessorKind.Field, Name = {Literal(member.RestoreField)})]
                private static extern ref {member.TypeKey} {FieldAccessor(index, i)}({(codec.IsValueType ? "ref " : "")}{member.RestoreFieldOwner} target);
                """);
        }
    }

    private static string FieldAccessor(int codecIndex, int memberIndex) => $"Field{codecIndex}_{memberIndex}";

    private static string Literal(string value) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);

    private static void WriteNullCheck(SourceWriter writer, string writeNull)
    {
        using (writer.OpenBlock("if (value is null)"))
        {
            writer.WriteLine($"""
                {writeNull}
                return;
                """);
        }

        writer.WriteLine();
    }

    // new T[count], where an array element type puts the count in its first bracket pair: new int[count][].
    private static string NewArray(string elementKey)
    {
        string suffix = string.Empty;
        while (elementKey.EndsWith("[]", System.StringComparison.Ordinal))
        {
            elementKey = elementKey.Substring(0, elementKey.Length - 2);
            suffix += "[]";
        }

        return $"new {elementKey}[count]{suffix}";
    }
}
