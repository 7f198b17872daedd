using System.Linq;
using ParallelDsl.Roslyn;
using static ParallelDsl.Generator.GeneratedFile;

namespace ParallelDsl.Generator;

/// <summary>
/// Writes the interceptors that redirect pool calls with a <c>[RunInProcess]</c> method group to the overloads that
/// take the method's generated descriptor. One file per assembly; it declares the file-local
/// <c>InterceptsLocationAttribute</c> the compiler looks for, so no runtime or SDK version has to provide it.
/// </summary>
internal static class PoolInterceptorEmitter
{
    /// <summary>The hint name of the interceptors file.</summary>
    public const string HintName = "ParallelDsl.PoolInterceptors.g.cs";


    public static string Emit(EquatableArray<PoolCallModel> calls)
    {
        var writer = new SourceWriter();
        GeneratedFile.WriteHeader(writer);
        using (writer.OpenBlock("namespace System.Runtime.CompilerServices"))
        {
            writer.WriteLine($$"""
                {{GeneratedCode}}
                [global::System.AttributeUsage(global::System.AttributeTargets.Method, AllowMultiple = true)]
                file sealed class InterceptsLocationAttribute : global::System.Attribute
                {
                    public InterceptsLocationAttribute(int version, string data)
                    {
                        _ = version;
                        _ = data;
                    }
                }
                """);
        }

        writer.WriteLine();
        using (writer.OpenBlock($"namespace {WellKnownNames.GeneratedNamespace}"))
        {
            writer.WriteLine($"""
                /// <summary>Redirects pool calls that pass a <c>[RunInProcess]</c> method by name to its generated descriptor.</summary>
                {GeneratedCode}
                """);
            using (writer.OpenBlock("file static class PoolInterceptors"))
            {
                for (int i = 0; i < calls.Count; i++)
                {
                    if (i > 0)
                    {
                        writer.WriteLine();
                    }

                    WriteInterceptor(writer, calls[i], i);
                }
            }
        }

        return writer.ToString();
    }

    private static void WriteInterceptor(SourceWriter writer, PoolCallModel call, int index)
    {
        string receiver = call.IsInstance ? $"this {call.ReceiverType} pool, " : "";
        string parameters = receiver + string.Join(", ", call.Parameters.Select(p => $"{p.Type} {p.Name}"));
        string target = call.IsInstance ? $"pool.{call.MethodName}" : call.Descriptor;
        string body = call.IsInstance
            ? $"{target}({string.Join(", ", call.Parameters.Select((p, i) => i == 0 ? call.Descriptor : p.Name))})"
            : call.Descriptor;
        writer.WriteLine($"""
            // {call.DisplayLocation}
            [global::System.Runtime.CompilerServices.InterceptsLocation({call.LocationVersion}, "{call.LocationData}")]
            public static {call.ReturnType} {call.MethodName}{index}({parameters})
                => {body};
            """);
    }
}
