using ParallelDsl.Roslyn;
using static ParallelDsl.Generator.GeneratedFile;

namespace ParallelDsl.Generator;

/// <summary>Writes the launcher stubs of the rejected methods of one partial type (see <see cref="RejectedMethodModel"/>).</summary>
internal static class RejectedMethodEmitter
{

    public static string Emit(TypeRejectedMethodsModel model)
    {
        var writer = new SourceWriter();
        using (writer.OpenGeneratedType(model.Type))
        {
            for (int i = 0; i < model.Methods.Count; i++)
            {
                if (i > 0)
                {
                    writer.WriteLine();
                }

                Write(writer, model.Methods[i]);
            }
        }

        return writer.ToString();
    }

    private static void Write(SourceWriter writer, RejectedMethodModel method)
    {
        string parameters = string.Join(", ", method.Parameters);
        string body = $"throw new global::System.NotSupportedException({Literal($"'{method.Name}' has no launcher: the build reports why ({method.DiagnosticId}) at its declaration.")})";
        writer.WriteLine($"""
            /// <summary>Not generated: '{method.Name}' cannot be launched, and {method.DiagnosticId} says why at its declaration.</summary>
            {GeneratedCode}
            {method.Modifiers} {method.Handle} Start{method.Name}{method.TypeParameters}({parameters})
                => {body};
            """);
        if (!method.InChildProcess)
        {
            return;
        }

        string withOptions = string.Join(", ", method.OptionsParameters);
        writer.WriteLine($"""

            /// <summary>Not generated: '{method.Name}' cannot be launched, and {method.DiagnosticId} says why at its declaration.</summary>
            {GeneratedCode}
            {method.Modifiers} {method.Handle} Start{method.Name}{method.TypeParameters}({withOptions})
                => {body};
            """);
    }

    private static string Literal(string value) =>
        Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);
}
