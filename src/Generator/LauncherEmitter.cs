using System.Linq;

namespace ParallelDsl.Generator;

/// <summary>Writes the generated partial type for a <see cref="TypeLaunchersModel"/>.</summary>
internal static class LauncherEmitter
{
    private const string GeneratedCode = $"[{TypeNames.GeneratedCodeAttribute}(\"{GeneratorInfo.Name}\", \"{GeneratorInfo.Version}\")]";

    public static string Emit(TypeLaunchersModel model)
    {
        var writer = new SourceWriter();
        using (writer.OpenGeneratedType(model.Type))
        {
            for (int i = 0; i < model.ThreadMethods.Count; i++)
            {
                if (i > 0)
                {
                    writer.WriteLine();
                }

                WriteThreadLauncher(writer, model.ThreadMethods[i], i);
            }
        }

        return writer.ToString();
    }

    private static void WriteThreadLauncher(SourceWriter writer, ThreadMethodModel method, int ordinal)
    {
        string? gate = null;
        if (method.MaxConcurrency > 0)
        {
            gate = $"__ParallelDsl_{method.Name}_Gate{ordinal}";
            writer.WriteLine($"""
                {GeneratedCode}
                private static readonly {TypeNames.ConcurrencyGate} {gate} = new {TypeNames.ConcurrencyGate}({method.MaxConcurrency});

                """);
        }

        string handle = method.ResultType is null ? TypeNames.ThreadHandle : $"{TypeNames.ThreadHandle}<{method.ResultType}>";
        string parameters = string.Join(", ", method.Parameters.Select(p =>
            p.DefaultValue is null ? $"{p.Type} {p.Name}" : $"{p.Type} {p.Name} = {p.DefaultValue}"));
        string arguments = string.Join(", ", method.Parameters.Select(p => p.Name));
        string call = $"{(method.IsStatic ? string.Empty : "this.")}{method.Name}({arguments})";
        (string Start, string Body) launch = method.Result switch
        {
            ResultKind.Void => ("Start", call),
            ResultKind.Value => ($"Start<{method.ResultType}>", call),
            ResultKind.Task => ("StartAsync", call),
            ResultKind.TaskOfT => ($"StartAsync<{method.ResultType}>", call),
            ResultKind.ValueTask => ("StartAsync", $"{call}.AsTask()"),
            _ => ($"StartAsync<{method.ResultType}>", $"{call}.AsTask()"),
        };
        string name = method.ThreadName is null ? "null" : Literal(method.ThreadName);
        string options = $"new {TypeNames.ThreadStartOptions}(\"{method.Name}\", {name}, {(method.Daemon ? "true" : "false")}, {gate ?? "null"})";

        writer.WriteLine($"""
            /// <summary>Starts <c>{method.Name}</c> on a new thread. Join or await the handle to wait for it.</summary>
            {GeneratedCode}
            {method.Accessibility}{(method.IsStatic ? " static" : string.Empty)} {handle} Start{method.Name}({parameters})
                => {TypeNames.ThreadLauncher}.{launch.Start}(() => {launch.Body}, {options});
            """);
    }

    private static string Literal(string value) =>
        Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);
}
