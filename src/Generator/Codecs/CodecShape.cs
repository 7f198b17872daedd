using System.Collections.Generic;
using System.Text;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Generator;

/// <summary>
/// The shape id of a process method: a <see cref="StableId"/> over a text that describes what its codecs put on the
/// wire. Two builds that give a method the same id can still encode its arguments differently (a record parameter
/// with one more member); the shape id tells them apart before any byte is decoded.
/// </summary>
/// <remarks>
/// The text names the codecs of the instance, the parameters and the result, then describes every codec the method
/// uses, ordered by key: its kind, whether it has a null marker (reference types do; a value type only as
/// <see cref="System.Nullable{T}"/>, its own kind), its wire primitive, its element types and its members in the order
/// they are written, each with its name and type. Members name other codecs by key, so a type that contains itself is
/// described once. What the bytes do not depend on stays out: nullable annotations (the codec ignores them), how an
/// object is rebuilt (constructor or fields), method bodies and comments. Only strings, enum names and ordinal order
/// go in, so the id is the same on every machine.
/// </remarks>
internal static class CodecShape
{
    /// <summary>The shape id of a method whose arguments and result use the codecs <paramref name="codecs"/> (ordered by key).</summary>
    /// <param name="instanceCodec">The key of the instance's codec for an instance method, else <see langword="null"/>.</param>
    /// <param name="parameterCodecs">The key of each parameter's codec, in order.</param>
    /// <param name="resultCodec">The key of the result's codec, or <see langword="null"/> when the method returns nothing.</param>
    /// <param name="codecs">Every codec of the method, ordered by key (<see cref="CodecModelBuilder.Codecs"/>).</param>
    public static ulong Of(string? instanceCodec, IReadOnlyList<string> parameterCodecs, string? resultCodec, EquatableArray<CodecModel> codecs)
    {
        var text = new StringBuilder();
        text.Append("this=").Append(instanceCodec).Append(";args=").Append(string.Join(",", parameterCodecs))
            .Append(";result=").Append(resultCodec ?? "void").Append('\n');
        foreach (CodecModel codec in codecs)
        {
            text.Append(codec.Key).Append(' ')
                .Append(codec.Kind.ToString()).Append(' ')
                .Append(codec.IsValueType ? "no-null-marker" : "null-marker").Append(' ')
                .Append(codec.WireName).Append(" <")
                .Append(string.Join(",", codec.Elements)).Append("> {");
            foreach (CodecMemberModel member in codec.Members)
            {
                text.Append(member.Name).Append(':').Append(member.TypeKey).Append(';');
            }

            text.Append("}\n");
        }

        return StableId.Of(text.ToString());
    }
}
