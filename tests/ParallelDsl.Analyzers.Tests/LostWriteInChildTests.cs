namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0004: writes a child process makes that the parent never sees.</summary>
public class LostWriteInChildTests
{
    [Fact]
    public void Static_field_writes_in_a_process_method_and_its_callees_are_reported()
    {
        var diagnostics = AnalyzerVerifier.Verify("""
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
                static void Remember(int n) => {|PDSL0004:s_last|} = n.ToString();
            }
            """);

        Assert.Contains(diagnostics, d => d.GetMessage() ==
            "'s_last' is written in a child process by 'Remember', called from [RunInProcess] method 'Square': the parent never sees the change; return the value or use a [SharedValue]");
    }

    [Fact]
    public void Writes_into_arguments_are_reported()
    {
        AnalyzerVerifier.Verify("""
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
    }

    [Fact]
    public void Locals_returned_values_shared_values_and_thread_methods_are_not_reported()
    {
        AnalyzerVerifier.Verify("""
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
    }
}
