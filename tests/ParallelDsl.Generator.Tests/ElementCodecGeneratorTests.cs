namespace ParallelDsl.Generator.Tests;

/// <summary>Queues and pipes of records, tuples and collections get the generated codecs [RunInProcess] arguments get.</summary>
public sealed class ElementCodecGeneratorTests
{
    private const string Types = """
        using System.Collections.Generic;
        using ParallelDsl;

        namespace Demo;

        public sealed record Item(int Number, int? Maybe, string Label);

        public record struct Reading(string Sensor, double Value);

        public struct Plain
        {
            public int X;
            public long Y;
        }
        """;

    [Fact]
    public void A_queue_of_records_registers_the_record_codec_when_the_assembly_loads()
    {
        IReadOnlyDictionary<string, string> files = GeneratorHarness.RunClean(Types, """
            using ParallelDsl;

            namespace Demo;

            public static class Use
            {
                public static void Run()
                {
                    using var queue = new CrossProcessQueue<Item>();
                    queue.Put(new Item(42, null, "process 1"));
                }
            }
            """);

        string codecs = files["ParallelDsl.ProcessCodecs.g.cs"];
        Assert.Contains("internal static void Write(ref global::ParallelDsl.GeneratedSupport.WireWriter writer, global::Demo.Item? value)", codecs);
        Assert.Contains("global::ParallelDsl.GeneratedSupport.ElementCodecs.Register<global::Demo.Item>(Write, Read);", codecs);
        Assert.Contains("[global::System.Runtime.CompilerServices.ModuleInitializer]", codecs);
        Assert.DoesNotContain("ParallelDsl.ProcessDispatch.g.cs", files.Keys);
    }

    [Fact]
    public void Pipes_tuples_lists_dictionaries_and_queue_parameters_of_process_methods_register_their_element_codecs()
    {
        IReadOnlyDictionary<string, string> files = GeneratorHarness.RunClean(Types, """
            using System.Collections.Generic;
            using ParallelDsl;

            namespace Demo;

            public static partial class Jobs
            {
                [RunInProcess]
                public static void Produce(CrossProcessQueue<Reading> readings, PipeEnd<List<Item>> batches) { }

                public static void Run()
                {
                    var (first, second) = Pipe.Create<(int Id, string? Name)>();
                    var table = Pipe.Create<Dictionary<string, int[]>>();
                }
            }
            """);

        string codecs = files["ParallelDsl.ProcessCodecs.g.cs"];
        foreach (string element in new[]
                 {
                     "global::Demo.Reading", "global::System.Collections.Generic.List<global::Demo.Item>", "(int, string)",
                     "global::System.Collections.Generic.Dictionary<string, int[]>",
                 })
        {
            Assert.Contains($"global::ParallelDsl.GeneratedSupport.ElementCodecs.Register<{element}>(Write, Read);", codecs);
        }
    }

    [Fact]
    public void Numbers_strings_byte_arrays_and_unmanaged_structs_keep_the_runtime_copy_and_need_no_codec()
    {
        IReadOnlyDictionary<string, string> files = GeneratorHarness.RunClean(Types, """
            using ParallelDsl;

            namespace Demo;

            public static class Use
            {
                public static void Run()
                {
                    using var numbers = new CrossProcessQueue<int>();
                    using var texts = new CrossProcessQueue<string>();
                    var bytes = Pipe.Create<byte[]>();
                    var plain = Pipe.Create<Plain>();
                    var maybe = Pipe.Create<double?>();
                }
            }
            """);

        Assert.DoesNotContain("ParallelDsl.ProcessCodecs.g.cs", files.Keys);
    }

    [Fact]
    public void An_element_type_without_a_codec_and_an_open_type_parameter_generate_nothing()
    {
        IReadOnlyDictionary<string, string> files = GeneratorHarness.RunClean(Types, """
            using System;
            using ParallelDsl;

            namespace Demo;

            public static class Use
            {
                public static CrossProcessQueue<T> Make<T>() => new();

                public static CrossProcessQueue<Action>? Callbacks { get; set; }
            }
            """);

        Assert.DoesNotContain("ParallelDsl.ProcessCodecs.g.cs", files.Keys);
    }

    [Fact]
    public void An_unrelated_edit_leaves_the_element_codec_steps_cached() =>
        GeneratorHarness.AssertCachedAfterAddingAnUnrelatedFile(
            [TrackingNames.ElementCodecs, TrackingNames.CollectedElementCodecs, TrackingNames.CodecAssemblyModel],
            Types,
            """
            using ParallelDsl;

            namespace Demo;

            public static class Use
            {
                public static void Run() => Pipe.Create<Item>();
            }
            """);
}
