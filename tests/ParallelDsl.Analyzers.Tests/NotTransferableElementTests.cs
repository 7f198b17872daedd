using Verify = ParallelDsl.Analyzers.Tests.Verifiers.ParallelDslVerifier;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0014: queues and pipes whose element type has no codec.</summary>
public class NotTransferableElementTests
{
    [Fact]
    public Task A_queue_of_records_with_a_delegate_member_is_reported_with_the_member_path() =>
        Verify.VerifyAsync("""
            using System;
            using ParallelDsl;
            public sealed record Job(int Id, Action Callback);
            static class Program
            {
                static void Run()
                {
                    using var jobs = new CrossProcessQueue<{|#0:Job|}>();
                }
            }
            """,
            Verify.Diagnostic(DiagnosticDescriptors.NotTransferableElement).WithLocation(0)
                .WithArguments("CrossProcessQueue<Job>", "Job", "Job.Callback: Action", "a delegate is code, not data: pass the data and call a [RunInProcess] method"));

    [Fact]
    public Task Constructions_pipes_and_opened_handles_of_types_without_a_codec_are_reported_once_each() =>
        Verify.VerifyAsync("""
            using System;
            using System.IO;
            using ParallelDsl;
            static class Program
            {
                static void Run(string name)
                {
                    CrossProcessQueue<object> untyped = {|PDSL0014:new()|};
                    var streams = Pipe.Create<{|PDSL0014:Stream|}>();
                    var callbacks = ParallelDsl.Pipe.Create<{|PDSL0014:Func<int>|}>(capacityBytes: 4096);
                    var opened = CrossProcessQueue<{|PDSL0014:Action|}>.OpenHandle(name);
                    var end = PipeEnd<{|PDSL0014:int[,]|}>.OpenHandle(name);
                }
            }
            """);

    [Fact]
    public Task Elements_with_a_codec_the_fast_path_types_and_open_type_parameters_are_not_reported() =>
        Verify.VerifyAsync("""
            using System;
            using System.Collections.Generic;
            using ParallelDsl;
            public sealed record Item(int Number, int? Maybe, string Label);
            public struct Plain { public int X; }
            partial class Program
            {
                [RunInProcess] static void Produce(CrossProcessQueue<Item> items, PipeEnd<List<Item>> batches) { }

                static CrossProcessQueue<T> Make<T>() => new();

                static void Run()
                {
                    using var items = new CrossProcessQueue<Item>();
                    using var numbers = new CrossProcessQueue<int>();
                    using var texts = new CrossProcessQueue<string>();
                    var bytes = Pipe.Create<byte[]>();
                    var plain = Pipe.Create<Plain>();
                    var tuples = Pipe.Create<(int, string?)>();
                    var tables = Pipe.Create<Dictionary<string, List<DateTime?>>>();
                    var list = new List<int>();
                }
            }
            """);
}
