using Verify = ParallelDsl.Analyzers.Tests.Verifiers.ParallelDslVerifier;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0005: parameters and results of [RunInProcess] methods that have no codec.</summary>
public class NotTransferableTests
{
    [Fact]
    public Task Parameter_whose_member_is_a_delegate_is_reported_with_the_member_path() =>
        Verify.VerifyAsync("""
            using System;
            using ParallelDsl;
            public sealed record Order(int Id, Action Callback);
            partial class Jobs
            {
                [RunInProcess] static void Ship(Order {|#0:order|}) { }
            }
            """,
            Verify.Diagnostic(DiagnosticDescriptors.NotTransferable).WithLocation(0)
                .WithArguments("Parameter 'order'", "Ship", "Order.Callback: Action", "a delegate is code, not data: pass the data and call a [RunInProcess] method"));

    [Fact]
    public Task Unsupported_parameters_and_results_including_task_results_are_reported() =>
        Verify.VerifyAsync("""
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

    [Fact]
    public Task Supported_types_and_thread_methods_are_not_reported() =>
        Verify.VerifyAsync("""
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

    [Fact]
    public Task A_parameter_whose_own_type_cannot_cross_is_one_error_that_names_the_type_once() =>
        // The call of the launcher binds: a compiler error ("'Jobs' does not contain a definition for
        // 'StartCountBytes'") would fail the test beside the one expected diagnostic.
        Verify.VerifyAsync("""
            using System.IO;
            using ParallelDsl;
            static partial class Jobs
            {
                [RunInProcess] public static long CountBytes(Stream {|#0:stream|}) => stream.Length;
            }
            static class Caller
            {
                static long Call() => Jobs.StartCountBytes(Stream.Null).Join();
            }
            """,
            Verify.Diagnostic(DiagnosticDescriptors.NotTransferable).WithLocation(0)
                .WithArguments("Parameter 'stream'", "CountBytes", "Stream", "a stream is tied to this process: pass the bytes (byte[]) or a path instead"));
}
