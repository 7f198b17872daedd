using System.Collections.Generic;
using System.Linq;
using ParallelDsl.Roslyn;
using static ParallelDsl.Generator.GeneratedFile;

namespace ParallelDsl.Generator;

/// <summary>Writes the generated partial type for a <see cref="TypeLaunchersModel"/>.</summary>
internal static class ThreadEmitter
{

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
                private static readonly {WellKnownNames.ConcurrencyGate} {gate} = new {WellKnownNames.ConcurrencyGate}({method.MaxConcurrency});

                """);
        }

        string handle = method.ResultType is null ? WellKnownNames.ThreadHandle : $"{WellKnownNames.ThreadHandle}<{method.ResultType}>";
        string parameters = ParameterList(method.Parameters.Select(Declaration));
        string arguments = string.Join(", ", method.Parameters.Select(p => p.Name));
        string call = $"{Target(method)}{method.Name}({arguments})";
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
        string options = $"new {WellKnownNames.ThreadStartOptions}(\"{method.Name}\", {name}, {(method.Daemon ? "true" : "false")}, {gate ?? "null"})";

        string optionsName = method.Parameters.Any(p => p.Name == "options") ? "threadOptions" : "options";
        string withOptions = ParameterList(method.Parameters.Select(p => $"{p.Type} {p.Name}").Append($"{WellKnownNames.ThreadOptions} {optionsName}"));
        string modifiers = $"{method.Accessibility}{(method.IsStatic ? " static" : string.Empty)}";

        writer.WriteLine($"""
            /// <summary>Starts <c>{method.Name}</c> on a new thread. Join or await the handle to wait for it.</summary>
            {GeneratedCode}
            {modifiers} {handle} Start{method.Name}({parameters})
                => {WellKnownNames.ThreadLauncher}.{launch.Start}(
                    () => {launch.Body},
                    {options});

            /// <summary>Starts <c>{method.Name}</c> on a new thread, with options that override the attribute's for this call.</summary>
            {GeneratedCode}
            {modifiers} {handle} Start{method.Name}({withOptions})
                => {WellKnownNames.ThreadLauncher}.{launch.Start}(
                    () => {launch.Body},
                    {options}.With({optionsName}));
            """);
    }

    /// <summary>
    /// What the call to the method is qualified with: <c>this.</c> for instance methods; for static methods nothing,
    /// unless a parameter has the method's name and would hide it, then the fully qualified type.
    /// </summary>
    private static string Target(ThreadMethodModel method)
    {
        if (!method.IsStatic)
        {
            return "this.";
        }

        if (!method.Parameters.Any(parameter => parameter.Name == method.Name))
        {
            return string.Empty;
        }

        TypeIdentityModel type = method.Type;
        string ns = type.Namespace is null ? string.Empty : type.Namespace + ".";
        return $"global::{ns}{string.Join(".", type.Types.Select(t => t.Name))}.";
    }

    /// <summary>The launcher's parameter list: on one line when short, else one parameter per line.</summary>
    private static string ParameterList(IEnumerable<string> parameters)
    {
        const int LongestSingleLine = 80;
        string[] declarations = parameters.ToArray();
        string singleLine = string.Join(", ", declarations);
        return singleLine.Length <= LongestSingleLine
            ? singleLine
            : "\n    " + string.Join(",\n    ", declarations);
    }

    private static string Declaration(ParameterModel parameter) =>
        $"{(parameter.IsParams ? "params " : string.Empty)}{parameter.Type} {parameter.Name}"
        + (parameter.DefaultValue is null ? string.Empty : $" = {parameter.DefaultValue}");

    private static string Literal(string value) =>
        Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);
}
