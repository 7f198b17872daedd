using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

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

    private static string Generated(GeneratorDriverRunResult result, string hintName) =>
        result.Results.SelectMany(r => r.GeneratedSources).Single(s => s.HintName == hintName).SourceText.ToString();
}
