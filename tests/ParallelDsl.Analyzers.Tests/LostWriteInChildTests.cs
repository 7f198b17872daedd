using VerifyCS = ParallelDsl.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ParallelDsl.Analyzers.Rules.LostWriteInChildAnalyzer>;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0004: writes a child process makes that the parent never sees.</summary>
public class LostWriteInChildTests
{
    // ---- must report ----

    [Fact]
    public Task Static_field_writes_in_a_process_method_and_its_callees_are_reported() =>
        VerifyCS.VerifyAsync("""
            using ParallelDsl;
            partial class Jobs
            {
                static int s_processed;
                static string s_last = "";
                [RunInProcess]
                static int Square(int n)
                {
                    {|PDSL0004:s_processed|}++;
                    Remember(n);
                    return n * n;
                }
                static void Remember(int n) => {|#0:s_last|} = n.ToString();
            }
            """,
            VerifyCS.Diagnostic(DiagnosticDescriptors.LostWriteInChild).WithLocation(0).WithArguments("s_last", "'Remember', called from [RunInProcess] method 'Square'"));

    [Fact]
    public Task Writes_into_arguments_are_reported() =>
        VerifyCS.VerifyAsync("""
            using System.Collections.Generic;
            using ParallelDsl;
            public sealed class Order { public decimal Total { get; set; } public int Lines; }
            partial class Jobs
            {
                [RunInProcess]
                static void Price(Order order, int[] totals, List<int> seen)
                {
                    {|PDSL0004:order.Total|} = 10;
                    {|PDSL0004:order.Lines|}++;
                    {|PDSL0004:totals[0]|} = 1;
                    {|PDSL0004:seen[0]|} = 2;
                }
            }
            """);

    [Fact]
    public Task Static_collections_changed_in_a_child_are_reported_as_in_the_docs_example() =>
        VerifyCS.VerifyAsync("""
            using System.Collections.Generic;
            using ParallelDsl;
            partial class Crawler
            {
                static readonly HashSet<string> Seen = new();
                static readonly List<int> Sizes = new();
                static readonly Dictionary<string, int> Counts = new();
                static readonly Queue<string> Pending = new();
                [RunInProcess]
                static int Visit(string url)
                {
                    {|PDSL0004:Seen|}.Add(url);
                    {|PDSL0004:Sizes|}.Add(url.Length);
                    {|PDSL0004:Counts[url]|} = 1;
                    {|PDSL0004:Counts|}.Remove("old");
                    {|PDSL0004:Pending|}.Clear();
                    return url.Length;
                }
            }
            """);

    [Fact]
    public Task Members_of_objects_reached_through_statics_are_reported() =>
        VerifyCS.VerifyAsync("""
            using ParallelDsl;
            sealed class Config
            {
                public static Config Instance { get; } = new();
                public static Config Current = new();
                public int Count { get; set; }
                public string Name = "";
            }
            partial class Jobs
            {
                static readonly int[] s_slots = new int[4];
                [RunInProcess]
                static void Work(int n)
                {
                    {|PDSL0004:Config.Instance.Count|} = n;
                    {|PDSL0004:Config.Current.Name|} = "child";
                    {|PDSL0004:s_slots[0]|} = n;
                }
            }
            """);

    // ---- must not report ----

    [Fact]
    public Task Writes_to_worker_state_are_not_reported_and_other_statics_of_the_same_method_still_are() =>
        VerifyCS.VerifyAsync("""
            using System.Collections.Generic;
            using ParallelDsl;
            public sealed class Model { public int Loaded; }
            partial class Jobs
            {
                [WorkerState] static long s_partialSum;
                [WorkerState] static Model? Current { get; set; }
                [WorkerState] static readonly Dictionary<int, int> Cache = new();
                static int s_calls;
                [RunInProcess]
                static int Score(int n)
                {
                    Current ??= new Model();
                    Current.Loaded++;
                    s_partialSum += n;
                    Cache[n] = n * n;
                    Cache.Remove(n - 1);
                    Note(n);
                    {|PDSL0004:s_calls|}++;
                    return n;
                }
                static void Note(int n) => s_partialSum -= 0;
            }
            """);

    [Fact]
    public Task Locals_returned_values_shared_values_and_thread_methods_are_not_reported() =>
        VerifyCS.VerifyAsync("""
            using ParallelDsl;
            public sealed class Order { public decimal Total { get; set; } }
            partial class Jobs
            {
                static int s_threadCount;
                static readonly object Gate = new();
                [RunInProcess]
                static Order Price(Order order, Shared<int> done, int[] input)
                {
                    var copy = new Order { Total = order.Total };
                    copy.Total = 10;
                    int[] local = new int[input.Length];
                    local[0] = input[0];
                    done.Value = 1;
                    order = copy;
                    return copy;
                }
                [RunInThread]
                static void Count() { lock (Gate) { s_threadCount++; } }
            }
            """);

    [Fact]
    public Task Writes_into_an_argument_the_method_returns_come_home() =>
        VerifyCS.VerifyAsync("""
            using ParallelDsl;
            public sealed class Order { public decimal Total { get; set; } public int Lines; }
            partial class Jobs
            {
                [RunInProcess]
                static Order Price(Order order)
                {
                    order.Total = 10;
                    order.Lines++;
                    return order;
                }
                [RunInProcess]
                static int[] Double(int[] values)
                {
                    for (int i = 0; i < values.Length; i++) values[i] *= 2;
                    return values;
                }
                [RunInProcess]
                static int[] Negate(int[] values) => Fill(values);
                static int[] Fill(int[] values) { values[0] = -values[0]; return values; }
            }
            """);

    [Fact]
    public Task Local_collections_reads_of_statics_and_shared_memory_through_statics_are_not_reported() =>
        VerifyCS.VerifyAsync("""
            using System.Collections.Generic;
            using ParallelDsl;
            partial class Crawler
            {
                static readonly HashSet<string> Known = new() { "a" };
                [SharedValue(Length = 4)] static partial SharedArray<int> Slots { get; }
                [SharedValue] static partial Shared<int> Hits { get; }
                [RunInProcess]
                static int Visit(string url)
                {
                    var seen = new HashSet<string>();
                    seen.Add(url);
                    var sizes = new List<int> { url.Length };
                    sizes.Clear();
                    Slots[0] = 1;
                    Hits.Value = 2;
                    return Known.Contains(url) ? 1 : seen.Count + Known.Count;
                }
            }
            """);
}
