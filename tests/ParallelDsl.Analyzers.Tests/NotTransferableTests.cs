using Microsoft.CodeAnalysis;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0005: parameters and results of [RunInProcess] methods that have no codec.</summary>
public class NotTransferableTests
{
    [Fact]
    public void Parameter_whose_member_is_a_delegate_is_reported_with_the_member_path()
    {
        var diagnostics = AnalyzerVerifier.Verify("""
            using System;
            using ParallelDsl;
            public sealed record Order(int Id, Action Callback);
            partial class Jobs
            {
                [RunInProcess] static void Ship(Order {|PDSL0005:order|}) { }
            }
            """);

        Assert.StartsWith("Parameter 'order' of 'Ship' cannot cross a process boundary: 'Order.Callback: Action' (a delegate is code",
            diagnostics.Single(d => d.Id == "PDSL0005").GetMessage());
    }

    [Fact]
    public void Unsupported_parameters_and_results_including_task_results_are_reported()
    {
        AnalyzerVerifier.Verify("""
            using System;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            using ParallelDsl;
            partial class Jobs
            {
                [RunInProcess] static void Read(Stream {|PDSL0005:input|}, Func<int> {|PDSL0005:next|}) { }
                [RunInProcess] static {|PDSL0005:Thread|} Spawn() => null!;
                [RunInProcess] static async {|PDSL0005:Task<object>|} Load() { await Task.Yield(); return 1; }
                [RunInProcess] static void Cancel(CancellationToken {|PDSL0005:token|}) { }
            }
            """);
    }

    [Fact]
    public void Supported_types_and_thread_methods_are_not_reported()
    {
        AnalyzerVerifier.Verify("""
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            using ParallelDsl;
            public enum Kind { A, B }
            public sealed record Line(string Sku, int Quantity, decimal Price);
            public sealed record Order(int Id, List<Line> Lines, Kind Kind, DateTime At, Guid Key, int? Discount);
            partial class Jobs
            {
                [RunInProcess] static decimal Price(Order order, (int, string) pair, Dictionary<string, int[]> stock) => 0;
                [RunInProcess] static async Task<Order[]> Load(string path) { await Task.Yield(); return []; }
                [RunInProcess] static Task Save(byte[] data) => Task.CompletedTask;
                [RunInProcess] static void Nothing() { }
                [RunInThread] static void Local(Stream stream, Action callback) { }
            }
            """);
    }

    [Fact]
    public void A_parameter_whose_own_type_cannot_cross_is_one_error_that_names_the_type_once()
    {
        const string Program = """
            using System.IO;
            using ParallelDsl;
            static partial class Jobs
            {
                [RunInProcess] public static long CountBytes(Stream {|PDSL0005:stream|}) => stream.Length;
            }
            static class Caller
            {
                static long Call() => Jobs.StartCountBytes(Stream.Null).Join();
            }
            """;
        var diagnostics = AnalyzerVerifier.Verify(Program);

        string message = diagnostics.Single(d => d.Id == "PDSL0005").GetMessage();
        Assert.StartsWith("Parameter 'stream' of 'CountBytes' cannot cross a process boundary: 'Stream' (", message);
        Assert.DoesNotContain("Stream: Stream", message, StringComparison.Ordinal);

        // The call of the launcher binds: the compiler adds no "'Jobs' does not contain a definition for 'StartCountBytes'".
        Compilation compilation = TestCompilation.WithGeneratedSources(TestCompilation.Create(
            [TestCompilation.Parse(Markup.Parse(Program).Source, TestCompilation.SourcePath(0))], OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
