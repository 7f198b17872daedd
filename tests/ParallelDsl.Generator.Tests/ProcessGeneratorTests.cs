using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Generator.Tests;

public sealed partial class ProcessGeneratorTests
{
    private const string Types = """
        using System;
        using System.Collections.Generic;
        using ParallelDsl;

        namespace Demo;

        public enum Color : byte { Red, Green, Blue }

        public record Line(string Sku, int Quantity, decimal Price);

        public record Order(int Id, string? Customer, List<Line> Lines, Color Color, DateTime? Due)
        {
            public string? Note { get; init; }
        }

        public struct Point
        {
            public int X;
            public int Y;
        }

        public enum Big : long { Min = long.MinValue, Max = long.MaxValue }

        public sealed class Tagged
        {
            public required string Name { get; init; }

            public int @event;
        }

        public record Box<T>(T Value);

        public static class Outer
        {
            public readonly record struct Inner(Big Big, Box<Tagged?>? Box);
        }

        public sealed class WorkQueue : ICrossProcessHandle<WorkQueue>
        {
            public WorkQueue(string handleName) => HandleName = handleName;

            public string HandleName { get; }

            public static WorkQueue OpenHandle(string handleName) => new(handleName);
        }
        """;

    private const string Methods = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using ParallelDsl;

        namespace Demo;

        public static partial class Jobs
        {
            [RunInProcess]
            static void Log(string message) => System.Console.WriteLine(message);

            [RunInProcess(Name = "squarer", Daemon = true)]
            public static int Square(int n) => n * n;

            [RunInProcess]
            internal static Task<long> SumAsync(int[] values) => Task.FromResult(values.Sum(v => (long)v));

            [RunInProcess]
            static ValueTask Idle() => default;

            [RunInProcess]
            static Dictionary<string, List<int?>> Group(Order[] orders, (int Min, string? Label) range) => new();

            [RunInProcess]
            static Point? Move(Point? point, WorkQueue queue, Color color = Color.Green) => point;

            [RunInProcess]
            static List<Order> Repeat(Order order, int times) => Enumerable.Repeat(order, times).ToList();

            [RunInProcess]
            static Outer.Inner Wrap(Outer.Inner inner) => inner;
        }
        """;

    [Fact]
    public void Generates_launchers_dispatch_table_and_codecs_that_compile_cleanly()
    {
        (GeneratorDriverRunResult result, Compilation output) = GeneratorHarness.Run(Types, Methods);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Snapshot.Match(Generated(result, "Demo.Jobs.Process.g.cs"), "Processes/Jobs");
        Snapshot.Match(Generated(result, "ParallelDsl.ProcessDispatch.g.cs"), "Processes/DispatchTable");
        Snapshot.Match(Generated(result, "ParallelDsl.ProcessCodecs.g.cs"), "Processes/Codecs");
    }

    [Fact]
    public void Each_distinct_type_gets_one_codec_shared_by_every_method()
    {
        (GeneratorDriverRunResult result, _) = GeneratorHarness.Run(Types, Methods);
        string codecs = Generated(result, "ParallelDsl.ProcessCodecs.g.cs");

        // Order is used by Group (inside Order[]) and by Repeat (directly and inside List<Order>).
        Assert.Single(Regex.Matches(codecs, Regex.Escape("WireWriter writer, global::Demo.Order? value)")));
        Assert.Single(Regex.Matches(codecs, Regex.Escape("WireReader reader, out global::Demo.Order value)")));
        Assert.Single(Regex.Matches(codecs, Regex.Escape("WireWriter writer, int value)")));
    }

    [Fact]
    public void Method_ids_are_FNV1a_hashes_of_the_signature_the_same_in_every_compilation_and_distinct_for_overloads()
    {
        const string source = """
            using ParallelDsl;

            namespace Demo;

            static partial class Maths
            {
                [RunInProcess] static int Sum(int a, int b) => a + b;
                [RunInProcess] static long Sum(long a, long b) => a + b;
                [RunInProcess] static string? Name(string? value) => value;
            }
            """;

        Dictionary<string, ulong> first = Ids(GeneratorHarness.Run(source).Result);
        Dictionary<string, ulong> second = Ids(GeneratorHarness.Run("// another compilation\n" + source).Result);

        Assert.Equal(first, second);
        Assert.Equal(3, first.Count);
        Assert.Equal(3, first.Values.Distinct().Count());
        Assert.Equal(StableId.Of("global::Demo.Maths.Sum(int,int)"), first[$"SumProcess_{StableId.Of("global::Demo.Maths.Sum(int,int)"):X16}"]);
        Assert.Equal(StableId.Of("global::Demo.Maths.Name(string)"), first["NameProcess"]);

        // The published FNV-1a 64-bit test vectors: the id is that function, not a process-local hash.
        Assert.Equal(0xCBF29CE484222325UL, StableId.Of(string.Empty));
        Assert.Equal(0xAF63DC4C8601EC8CUL, StableId.Of("a"));
    }

    [Fact]
    public void Methods_nothing_can_be_generated_for_are_skipped_without_diagnostics()
    {
        const string source = """
            using System;
            using System.IO;
            using ParallelDsl;

            namespace Demo;

            partial class Jobs
            {
                [RunInProcess] static int Valid(int n) => n;
                [RunInProcess] int Instance(int n) => n;
                [RunInProcess] static T Generic<T>(T value) => value;
                [RunInProcess] static void ByRef(ref int n) { }
                [RunInProcess] static void Callback(Action action) => action();
                [RunInProcess] static void Streaming(Stream stream) { }
                [RunInProcess] static object Untyped() => new();
                [RunInProcess] static void Hidden(Secret secret) { }

                private sealed record Secret(int Value);

                private partial class Nested
                {
                    [RunInProcess] static int Unreachable(int n) => n;
                }
            }

            partial class Box<T>
            {
                [RunInProcess] static int InGeneric(int n) => n;
            }

            class NotPartial
            {
                [RunInProcess] static int Plain(int n) => n;
            }
            """;

        (GeneratorDriverRunResult result, Compilation output) = GeneratorHarness.Run(source);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        // Rejected methods get only stubs, so that the analyzers' diagnostic is the one error at their calls.
        string[] launchers = result.Results.SelectMany(r => r.GeneratedSources)
            .Where(s => !s.HintName.EndsWith(".Rejected.g.cs", StringComparison.Ordinal))
            .SelectMany(s => Regex.Matches(s.SourceText.ToString(), @"\bStart(\w+)\(").Select(m => m.Groups[1].Value))
            .Distinct()
            .ToArray();
        // A private nested type can hold launchers (the dispatch table reaches its holder through forwarded members), and
        // Jobs has no state its codec would leave behind, so its instance method runs on a copy of the instance.
        Assert.Equal(["Valid", "Instance", "Unreachable"], launchers);
    }

    [Fact]
    public void Methods_of_nested_types_structs_and_the_global_namespace_and_struct_handles_compile_cleanly()
    {
        const string source = """
            using System.Collections.Generic;
            using ParallelDsl;

            public record Item(string Name, System.ValueTuple<int> Single, (int A, int B, int C, int D, int E, int F, int G, int H, int I) Wide);

            public readonly struct Token : ICrossProcessHandle<Token>
            {
                public Token(string name) => HandleName = name;

                public string HandleName { get; }

                public static Token OpenHandle(string handleName) => new(handleName);
            }

            static partial class GlobalJobs
            {
                [RunInProcess] static Item Echo(Item item) => item;

                [RunInProcess] static Token Pass(Token token) => token;
            }

            namespace Demo.Deep
            {
                public partial class Outer
                {
                    internal partial struct Inner
                    {
                        [RunInProcess] static Dictionary<int, Item?> Index(List<Item> items, string options) => new();
                    }
                }
            }
            """;

        (GeneratorDriverRunResult result, Compilation output) = GeneratorHarness.Run(source);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.Contains("global::GlobalJobs.EchoProcess.Invoke", Generated(result, "ParallelDsl.ProcessDispatch.g.cs"), StringComparison.Ordinal);
        Assert.Contains("global::Demo.Deep.Outer.Inner.IndexProcess.Invoke", Generated(result, "ParallelDsl.ProcessDispatch.g.cs"), StringComparison.Ordinal);
        Assert.Contains("string options, global::ParallelDsl.ProcessOptions processOptions)", Generated(result, "Demo.Deep.Outer.Inner.Process.g.cs"), StringComparison.Ordinal);
    }

    private static Dictionary<string, ulong> Ids(GeneratorDriverRunResult result) =>
        Regex.Matches(Generated(result, "Demo.Maths.Process.g.cs"), @"internal static class (\w+)\s*\{[^}]*?public const ulong Id = 0x([0-9A-F]{16})UL;")
            .ToDictionary(m => m.Groups[1].Value, m => Convert.ToUInt64(m.Groups[2].Value, 16));

    private static string Generated(GeneratorDriverRunResult result, string hintName) =>
        result.Results.SelectMany(r => r.GeneratedSources).Single(s => s.HintName == hintName).SourceText.ToString();
}
