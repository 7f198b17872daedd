using System.Linq;
using ParallelDsl.Roslyn;
using static ParallelDsl.Generator.GeneratedFile;
using static ParallelDsl.Generator.ProcessHolders;

namespace ParallelDsl.Generator;

/// <summary>
/// Writes, for <c>[RunInProcess]</c> methods, the launchers and per-method holders in each partial type, and the
/// assembly's dispatch table.
/// </summary>
internal static class ProcessEmitter
{
    private const string Hidden = "[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]";
    private const string Codecs = $"global::{WellKnownNames.GeneratedNamespace}.{WellKnownNames.ProcessCodecsClass}";

    /// <summary>The hint name of the dispatch table, one per assembly.</summary>
    public const string DispatchTableHintName = "ParallelDsl.ProcessDispatch.g.cs";

    /// <summary>The partial type with the launchers and holders of its process methods.</summary>
    public static string EmitType(ProcessTypeModel model)
    {
        var writer = new SourceWriter();
        using (writer.OpenGeneratedType(model.Type, (writer, level) => WriteForwarders(writer, model, level)))
        {
            for (int i = 0; i < model.Methods.Count; i++)
            {
                if (i > 0)
                {
                    writer.WriteLine();
                }

                WriteLaunchers(writer, model.Methods[i]);
                writer.WriteLine();
                WriteHolder(writer, model.Methods[i]);
            }
        }

        return writer.ToString();
    }

    /// <summary>The module initializer that registers every process method of the assembly.</summary>
    public static string EmitDispatchTable(ProcessAssemblyModel model)
    {
        var writer = new SourceWriter();
        GeneratedFile.WriteHeader(writer);
        using (writer.OpenBlock($"namespace {WellKnownNames.GeneratedNamespace}"))
        {
            writer.WriteLine($"""
                /// <summary>Registers this assembly's <c>[RunInProcess]</c> methods in the process dispatch table when the assembly loads.</summary>
                {GeneratedCode}
                {Hidden}
                """);
            using (writer.OpenBlock("internal static class ProcessDispatchTable"))
            {
                writer.WriteLine("[global::System.Runtime.CompilerServices.ModuleInitializer]");
                using (writer.OpenBlock("internal static void Register()"))
                {
                    writer.WriteLine("global::System.Reflection.Assembly owner = typeof(ProcessDispatchTable).Assembly;");
                    foreach (DispatchEntryModel entry in model.Entries)
                    {
                        if (entry.Forwarded is not null)
                        {
                            writer.WriteLine($"{WellKnownNames.ProcessDispatch}.Register({entry.Forwarded}(owner));");
                            continue;
                        }

                        writer.WriteLine($"{WellKnownNames.ProcessDispatch}.Register({NewDispatchEntry(entry.Holder + ".", entry.HasBatchInvoker)});");
                    }
                }
            }
        }

        return writer.ToString();
    }

    /// <summary>
    /// In the type at <paramref name="level"/> of the chain, for each method of a private or protected nested type
    /// below it: members that forward its dispatch entry and pool descriptor from the type one level down, which this
    /// type can name, so that the innermost type the rest of the assembly can name ends up holding them.
    /// </summary>
    private static void WriteForwarders(SourceWriter writer, ProcessTypeModel model, int level)
    {
        foreach (ProcessMethodModel method in model.Methods)
        {
            int last = method.Type.Types.Count - 1;
            if (level < method.ReachableTypes - 1 || level >= last)
            {
                continue;
            }

            string child = method.Type.Types[level + 1].Name;
            string Below(string member) => level + 1 == last ? $"{child}.{method.HolderName}.{member}" : $"{child}.{ForwarderName(method, member)}";
            writer.WriteLine($"""
                {GeneratedCode}
                {Hidden}
                internal static {WellKnownNames.ProcessMethod} {ForwarderName(method, DescribeMethod)}(global::System.Reflection.Assembly owner) => {Below(DescribeMethod)}(owner);

                """);
            if (method.PoolDescriptor is { } descriptor)
            {
                writer.WriteLine($"""
                    {GeneratedCode}
                    {Hidden}
                    internal static {DescriptorType(method, descriptor)} {ForwarderName(method, descriptor)} => {Below(descriptor)};

                    """);
            }
        }
    }

    private static string DescriptorType(ProcessMethodModel method, string descriptor) => descriptor switch
    {
        "Function" => $"{WellKnownNames.ProcessFunction}<{PoolArgumentType(method)}, {method.ResultType}>",
        "Procedure" => $"{WellKnownNames.ProcessAction}<{PoolArgumentType(method)}>",
        _ => WellKnownNames.ProcessAction,
    };

    private static void WriteLaunchers(SourceWriter writer, ProcessMethodModel method)
    {
        string handle = method.ResultType is null ? WellKnownNames.ProcessHandle : $"{WellKnownNames.ProcessHandle}<{method.ResultType}>";
        string arguments = method.InstanceCodec is null ? Arguments(method) : string.Join(", ", method.Parameters.Select(p => p.Name).Prepend("this"));
        string start = method.ResultType is null
            ? $"{WellKnownNames.ProcessLauncher}.Start({method.HolderName}.EncodeArguments({arguments}), "
            : $"{WellKnownNames.ProcessLauncher}.Start<{method.ResultType}>({method.HolderName}.EncodeArguments({arguments}), {method.HolderName}.DecodeResult, ";
        string modifiers = method.InstanceCodec is null ? $"{method.Accessibility} static" : method.Accessibility;
        string copyNote = method.InstanceCodec is null ? "" : " It runs on a copy of this instance: changes the child makes to it do not come back.";
        string parameters = string.Join(", ", method.Parameters.Select(p =>
            $"{(p.IsParams ? "params " : "")}{p.Type} {p.Name}" + (p.DefaultValue is null ? "" : $" = {p.DefaultValue}")));
        string optionsName = method.Parameters.Any(p => p.Name == "options") ? "processOptions" : "options";
        string withOptions = string.Join(", ", method.Parameters.Select(p => $"{p.Type} {p.Name}").Append($"{WellKnownNames.ProcessOptions} {optionsName}"));

        writer.WriteLine($"""
            /// <summary>Starts <c>{method.Name}</c> in a child process. Join or await the handle to wait for it.{copyNote}</summary>
            {GeneratedCode}
            {modifiers} {handle} Start{method.Name}({parameters})
                => {start}{method.HolderName}.Defaults, null);

            /// <summary>Starts <c>{method.Name}</c> in a child process, with options that override the attribute's for this call.{copyNote}</summary>
            {GeneratedCode}
            {modifiers} {handle} Start{method.Name}({withOptions})
                => {start}{method.HolderName}.Defaults, {optionsName} ?? throw new global::System.ArgumentNullException(nameof({optionsName})));
            """);
    }

    private static void WriteHolder(SourceWriter writer, ProcessMethodModel method)
    {
        string name = method.ProcessName is null ? "null" : Literal(method.ProcessName);
        writer.WriteLine($"""
            /// <summary>The process side of <c>{method.Name}</c>: its dispatch id, argument encoder, result decoder and invoker.</summary>
            {GeneratedCode}
            {Hidden}
            """);
        using (writer.OpenBlock($"internal static class {method.HolderName}"))
        {
            writer.WriteLine($"""
                /// <summary>The method's stable id in the dispatch table.</summary>
                public const ulong Id = 0x{method.Id:X16}UL;

                /// <summary>How the method's codecs lay out its arguments and result, hashed: another build with the same id but another shape is refused.</summary>
                public const ulong ShapeId = 0x{method.ShapeId:X16}UL;

                /// <summary>The method, as messages name it.</summary>
                public const string Name = {Literal(method.DisplayName)};

                /// <summary>How the launchers start a child when no per-call options override it.</summary>
                public static readonly {WellKnownNames.ProcessStartOptions} Defaults = new(Id, "{method.Name}", {name}, {(method.Daemon ? "true" : "false")});

                """);
            WriteEncoder(writer, method);
            writer.WriteLine();
            if (method.ResultCodec is not null)
            {
                WriteDecoder(writer, method);
                writer.WriteLine();
            }

            WriteInvoker(writer, method);
            WritePoolDescriptor(writer, method);
            if (IsForwarded(method))
            {
                writer.WriteLine($"""

                    /// <summary>The method's dispatch entry, which the dispatch table reaches through members forwarded out of the private types around it.</summary>
                    internal static {WellKnownNames.ProcessMethod} {DescribeMethod}(global::System.Reflection.Assembly owner) => {NewDispatchEntry(string.Empty, method.HasBatchInvoker)};
                    """);
            }
        }
    }

    /// <summary>
    /// The dispatch entry of a method, made from the members of its holder named with <paramref name="holder"/> (the
    /// holder's path and a dot, or nothing inside the holder).
    /// </summary>
    private static string NewDispatchEntry(string holder, bool hasBatchInvoker)
    {
        string batch = hasBatchInvoker ? $"InvokeBatch = {holder}InvokeBatch, " : "";
        return $"new {WellKnownNames.ProcessMethod}({holder}Id, {holder}Name, owner, {holder}Invoke) {{ {batch}ShapeId = {holder}ShapeId }}";
    }

    /// <summary>The argument type of a function's pool descriptor: its parameter, or the tuple of its parameters.</summary>
    private static string PoolArgumentType(ProcessMethodModel method) =>
        method.Parameters.Count == 1
            ? method.Parameters[0].Type
            : $"({string.Join(", ", method.Parameters.Select(p => p.Type))})";

    private static void WritePoolDescriptor(SourceWriter writer, ProcessMethodModel method)
    {
        switch (method.PoolDescriptor)
        {
            case "Action":
                writer.WriteLine($$"""

                    /// <summary>The method as a process pool's initializer: <c>ProcessAction.Of({{method.Name}})</c> is redirected here.</summary>
                    public static readonly {{WellKnownNames.ProcessAction}} Action = new(Id, Name);
                    """);
                return;
            case "Procedure":
                writer.WriteLine($$"""

                    /// <summary>The method for the process pools: <c>pool.Map({{method.Name}}, items)</c> is redirected here.</summary>
                    public static readonly {{WellKnownNames.ProcessAction}}<{{PoolArgumentType(method)}}> Procedure = new(Id, Name, EncodeArgument, EncodeBatch, DecodeBatch);
                    """);
                break;
            case "Function":
                writer.WriteLine($$"""

                    /// <summary>The method for the process pools: <c>pool.Map({{method.Name}}, items)</c> and its kin are redirected here.</summary>
                    public static readonly {{WellKnownNames.ProcessFunction}}<{{PoolArgumentType(method)}}, {{method.ResultType}}> Function = new(Id, Name, EncodeArgument, DecodeResult, EncodeBatch, DecodeBatch);
                    """);
                break;
            default:
                return;
        }

        string argument = PoolArgumentType(method);
        writer.WriteLine($$"""

            /// <summary>Encodes the argument of one pool task{{(method.Parameters.Count == 1 ? "" : " (the tuple of the method's parameters)")}}, as the invoker decodes it.</summary>
            """);
        using (writer.OpenBlock($"private static void EncodeArgument({argument} argument, global::System.Buffers.IBufferWriter<byte> destination)"))
        {
            writer.WriteLine($"var writer = new {WellKnownNames.WireWriter}(destination);");
            WriteArgumentParts(writer, method);
            writer.WriteLine("writer.Flush();");
        }

        writer.WriteLine();
        writer.WriteLine("/// <summary>Encodes the arguments of consecutive pool tasks, one after another, as <c>InvokeBatch</c> decodes them.</summary>");
        using (writer.OpenBlock($"private static void EncodeBatch(global::System.ReadOnlySpan<{argument}> arguments, global::System.Buffers.IBufferWriter<byte> destination)"))
        {
            writer.WriteLine($"var writer = new {WellKnownNames.WireWriter}(destination);");
            using (writer.OpenBlock($"foreach (ref readonly {argument} argument in arguments)"))
            {
                WriteArgumentParts(writer, method);
            }

            writer.WriteLine("writer.Flush();");
        }

        writer.WriteLine();
        WriteBatchInvoker(writer, method);
        writer.WriteLine();
        writer.WriteLine("/// <summary>Decodes the outcomes of a batch: results into <paramref name=\"destination\"/>, the failed tasks' errors into <paramref name=\"errors\"/>.</summary>");
        string resultType = method.ResultCodec is null ? "object?" : method.ResultType!;
        using (writer.OpenBlock($"private static void DecodeBatch(global::System.ReadOnlySpan<byte> results, global::System.Span<{resultType}> destination, {WellKnownNames.ProcessBatchErrors} errors)"))
        {
            writer.WriteLine($"var reader = new {WellKnownNames.WireReader}(results);");
            using (writer.OpenBlock("for (int i = 0; i < destination.Length; i++)"))
            {
                if (method.ResultCodec is null)
                {
                    // A method that returns nothing has only a status per task; its result stays null.
                    writer.WriteLine("errors.ReadStatus(ref reader, i);");
                }
                else
                {
                    using (writer.OpenBlock("if (errors.ReadStatus(ref reader, i))"))
                    {
                        writer.WriteLine($"""
                            {Codecs}.Read(ref reader, out {method.ResultCodec} value);
                            destination[i] = value{CodecEmitter.NullForgiving(method.ResultCodec!)};
                            """);
                    }
                }
            }

            writer.WriteLine("reader.EnsureEnd();");
        }
    }

    /// <summary>Writes each part of a pool task's <c>argument</c> (the tuple's items for several parameters).</summary>
    private static void WriteArgumentParts(SourceWriter writer, ProcessMethodModel method)
    {
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            string item = method.Parameters.Count == 1 ? "argument" : $"argument.Item{i + 1}";
            writer.WriteLine($"{Codecs}.Write(ref writer, {item}{CodecEmitter.NullForgiving(method.ParameterCodecs[i])});");
        }
    }

    /// <summary>
    /// The worker's side of a batch: per task, decode its arguments, call the method and write a status and the
    /// result; an exception (from the call or from encoding its result) replaces that task's outcome by its error.
    /// </summary>
    private static void WriteBatchInvoker(SourceWriter writer, ProcessMethodModel method)
    {
        writer.WriteLine("/// <summary>Runs a batch of pool tasks in the child: per task, its status and result, or the error it threw (which fails that task only).</summary>");
        using (writer.OpenBlock("public static void InvokeBatch(global::System.ReadOnlySpan<byte> arguments, int count, global::System.Buffers.IBufferWriter<byte> results)"))
        {
            writer.WriteLine($"""
                var reader = new {WellKnownNames.WireReader}(arguments);
                var writer = new {WellKnownNames.WireWriter}(results);
                """);
            using (writer.OpenBlock("for (int i = 0; i < count; i++)"))
            {
                WriteArgumentReads(writer, method);
                writer.WriteLine($"long item = {WellKnownNames.ProcessBatch}.BeginItem(ref writer);");
                using (writer.OpenBlock("try"))
                {
                    writer.WriteLine(method.ResultCodec is null
                        ? $"{Call(method)};"
                        : $"""
                            {method.ResultType} value = {Call(method)};
                            {Codecs}.Write(ref writer, value{CodecEmitter.NullForgiving(method.ResultCodec)});
                            """);
                }

                using (writer.OpenBlock("catch (global::System.Exception exception)"))
                {
                    writer.WriteLine($"{WellKnownNames.ProcessBatch}.FailItem(ref writer, item, exception);");
                }
            }

            writer.WriteLine("""
                reader.EnsureEnd();
                writer.Flush();
                """);
        }
    }

    private static void WriteEncoder(SourceWriter writer, ProcessMethodModel method)
    {
        string parameters = string.Join(", ", (method.InstanceCodec is null ? Enumerable.Empty<string>() : new[] { $"{method.InstanceCodec} self" })
            .Concat(method.Parameters.Select((p, i) => $"{p.Type} arg{i}")));
        writer.WriteLine(method.InstanceCodec is null
            ? "/// <summary>Encodes the arguments of one call, as the invoker decodes them.</summary>"
            : "/// <summary>Encodes the instance and the arguments of one call, as the invoker decodes them.</summary>");
        if (method.Parameters.Count == 0 && method.InstanceCodec is null)
        {
            writer.WriteLine($"public static global::System.ReadOnlyMemory<byte> EncodeArguments() => global::System.ReadOnlyMemory<byte>.Empty;");
            return;
        }

        using (writer.OpenBlock($"public static global::System.ReadOnlyMemory<byte> EncodeArguments({parameters})"))
        {
            writer.WriteLine($"""
                var buffer = {WellKnownNames.EncodingScratch}.Rent();
                var writer = new {WellKnownNames.WireWriter}(buffer);
                """);
            if (method.InstanceCodec is not null)
            {
                writer.WriteLine($"{Codecs}.Write(ref writer, self);");
            }

            for (int i = 0; i < method.Parameters.Count; i++)
            {
                writer.WriteLine($"{Codecs}.Write(ref writer, arg{i}{CodecEmitter.NullForgiving(method.ParameterCodecs[i])});");
            }

            writer.WriteLine($"""
                writer.Flush();
                return {WellKnownNames.EncodingScratch}.Finish(buffer);
                """);
        }
    }

    private static void WriteDecoder(SourceWriter writer, ProcessMethodModel method)
    {
        writer.WriteLine("/// <summary>Decodes the result the child sent back.</summary>");
        using (writer.OpenBlock($"public static {method.ResultType} DecodeResult(global::System.ReadOnlySpan<byte> result)"))
        {
            writer.WriteLine($"""
                var reader = new {WellKnownNames.WireReader}(result);
                {Codecs}.Read(ref reader, out {method.ResultCodec} value);
                reader.EnsureEnd();
                return value{CodecEmitter.NullForgiving(method.ResultCodec!)};
                """);
        }
    }

    private static void WriteInvoker(SourceWriter writer, ProcessMethodModel method)
    {
        writer.WriteLine("/// <summary>Runs the method in the child: decodes the arguments, calls it (to completion, when it is asynchronous) and encodes its result.</summary>");
        using (writer.OpenBlock("public static void Invoke(global::System.ReadOnlySpan<byte> arguments, global::System.Buffers.IBufferWriter<byte> result)"))
        {
            writer.WriteLine($"var reader = new {WellKnownNames.WireReader}(arguments);");
            WriteArgumentReads(writer, method);
            writer.WriteLine("reader.EnsureEnd();");
            if (method.ResultCodec is null)
            {
                writer.WriteLine($"{Call(method)};");
                return;
            }

            writer.WriteLine($"""
                {method.ResultType} value = {Call(method)};
                var writer = new {WellKnownNames.WireWriter}(result);
                {Codecs}.Write(ref writer, value{CodecEmitter.NullForgiving(method.ResultCodec)});
                writer.Flush();
                """);
        }
    }

    private static void WriteArgumentReads(SourceWriter writer, ProcessMethodModel method)
    {
        if (method.InstanceCodec is not null)
        {
            writer.WriteLine($"{Codecs}.Read(ref reader, out {method.InstanceCodec} self);");
        }

        for (int i = 0; i < method.ParameterCodecs.Count; i++)
        {
            writer.WriteLine($"{Codecs}.Read(ref reader, out {method.ParameterCodecs[i]} arg{i});");
        }
    }

    /// <summary>The call of the method on the decoded <c>arg0</c>… (to completion, when it is asynchronous: the child has nothing else to do).</summary>
    private static string Call(ProcessMethodModel method)
    {
        string arguments = string.Join(", ", method.ParameterCodecs.Select((codec, i) => $"arg{i}{CodecEmitter.NullForgiving(codec)}"));
        string call = $"{(method.InstanceCodec is null ? TypePath(method.Type) : "self")}.{method.Name}({arguments})";
        return method.Result is ResultKind.Task or ResultKind.ValueTask or ResultKind.TaskOfT or ResultKind.ValueTaskOfT
            ? call + ".GetAwaiter().GetResult()"
            : call;
    }

    private static string Arguments(ProcessMethodModel method) => string.Join(", ", method.Parameters.Select(p => p.Name));

    private static string Literal(string value) =>
        Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);
}
