using Verify = ParallelDsl.Analyzers.Tests.Verifiers.ParallelDslVerifier;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>
/// PDSL0009 and PDSL0004 for instance [RunInProcess] methods: one runs on a copy of its object when the codec copies
/// the whole object, and what it changes on that copy is lost.
/// </summary>
public class InstanceProcessMethodTests
{
    [Fact]
    public Task Instance_process_methods_are_reported_but_instance_thread_methods_are_fine() =>
        Verify.VerifyAsync("""
            using ParallelDsl;
            partial class Jobs
            {
                int _factor = 2;
                [RunInProcess] int {|PDSL0009:Scale|}(int n) => n * 2;
                [RunInThread] void Print() => System.Console.WriteLine(_factor);
                [RunInProcess] static int Square(int n) => n * n;
            }
            """);

    [Fact]
    public Task An_instance_method_of_a_type_whose_codec_copies_it_whole_is_not_an_error() =>
        Verify.VerifyAsync("""
            using ParallelDsl;
            public sealed partial record Greeter(string Greeting)
            {
                [RunInProcess] public string Greet(string name) => $"{Greeting}, {name}";
            }
            public partial class Counter
            {
                public int Start { get; set; }
                public string? Label;
                [RunInProcess] public int CountTo(int n) => Start + n;
            }
            """);

    // The two tests below are on our own harness still: they assert parts of messages whose other parts (the
    // codec's description of every member) are the business of the codec tests.

    [Fact]
    public void Private_state_a_member_that_cannot_cross_and_primary_constructors_are_reported_with_what_would_be_left_behind()
    {
        var diagnostics = AnalyzerVerifier.Verify("""
            using System;
            using ParallelDsl;
            public partial class Scaler
            {
                private int _factor = 2;
                [RunInProcess] public int {|PDSL0009:Scale|}(int n) => n * _factor;
            }
            public partial class Notifier
            {
                public Action? Done { get; set; }
                [RunInProcess] public void {|PDSL0009:Run|}() { }
            }
            public partial class Holder(int seed)
            {
                public int Seed => seed;
                [RunInProcess] public int {|PDSL0009:Next|}() => seed + 1;
            }
            """);

        Assert.Contains("a child process cannot get a whole copy of 'Scaler' to call it on: 'Scaler._factor' is state the codec does not copy",
            diagnostics.Single(d => d.GetMessage().Contains("Scale'", StringComparison.Ordinal)).GetMessage(), StringComparison.Ordinal);
        Assert.Contains("Notifier.Done: Action? (a delegate is code",
            diagnostics.Single(d => d.GetMessage().Contains("'Run'", StringComparison.Ordinal)).GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public Task Writes_to_the_copy_of_the_instance_are_lost_writes() =>
        Verify.VerifyAsync("""
            using ParallelDsl;
            public partial class Tally
            {
                public int Total { get; set; }
                public int[] Buckets { get; set; } = [];
                [RunInProcess]
                public int Add(int n)
                {
                    {|PDSL0004:Total|} += n;
                    {|PDSL0004:this.Buckets[0]|} = n;
                    int local = Total;
                    local++;
                    return Total;
                }
            }
            """);

    [Fact]
    public void An_instance_method_passed_to_a_pool_is_reported_since_a_pool_sends_no_instance()
    {
        var diagnostics = AnalyzerVerifier.Verify("""
            using ParallelDsl;
            public partial class Counter
            {
                public int Start { get; set; }
                [RunInProcess] public int CountTo(int n) => Start + n;
                [RunInProcess] public static int Square(int n) => n * n;

                public static void Run(ProcessPool pool, Counter counter)
                {
                    pool.Map({|PDSL0010:counter.CountTo|}, [1, 2]);
                    pool.Map(Square, [1, 2]);
                }
            }
            """);

        Assert.Contains("[RunInProcess] instance method 'CountTo' is passed to ProcessPool.Map: a pool sends its workers a method and arguments",
            diagnostics.Single(d => d.Id == "PDSL0010").GetMessage(), StringComparison.Ordinal);
    }
}
