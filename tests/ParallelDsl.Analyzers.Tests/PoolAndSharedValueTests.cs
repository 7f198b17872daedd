namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0010–PDSL0012: process pool targets and [SharedValue] declarations.</summary>
public class PoolAndSharedValueTests
{
    [Fact]
    public void Lambdas_local_functions_plain_methods_and_delegate_values_given_to_a_pool_are_reported()
    {
        var diagnostics = AnalyzerVerifier.Verify("""
            using System;
            using ParallelDsl;
            partial class Jobs
            {
                [RunInProcess] static int Square(int n) => n * n;
                static int Cube(int n) => n * n * n;
                static void Run(ProcessPool pool, Func<int, int> function)
                {
                    int[] items = [1, 2, 3];
                    pool.Map({|PDSL0010:n => n + 1|}, items);
                    pool.Map({|PDSL0010:Cube|}, items);
                    pool.MapUnordered({|PDSL0010:Local|}, items);
                    pool.Submit({|PDSL0010:function|}, 3);
                    pool.Submit({|PDSL0010:delegate (int n) { return n; }|}, 1);
                    pool.Map(Square, items);
                    pool.Map(Jobs.Square, items);
                    pool.MapUnordered(Square, items);
                    pool.Submit(Square, 4);
                    static int Local(int n) => n;
                }
            }
            """);

        Assert.Contains(diagnostics, d => d.GetMessage() ==
            "Method 'Cube', which is not [RunInProcess], is passed to ProcessPool.Map: a child process can only run a [RunInProcess] method, passed as a method group");
    }

    [Fact]
    public void A_RunInProcess_method_that_returns_a_task_given_to_a_pool_is_reported_with_the_way_out()
    {
        var diagnostics = AnalyzerVerifier.Verify("""
            using System.Threading.Tasks;
            using ParallelDsl;
            partial class Jobs
            {
                [RunInProcess] static async Task<int> FetchAsync(int n) { await Task.Yield(); return n; }
                [RunInProcess] static ValueTask<string> NameAsync(int n) => new(n.ToString());
                [RunInProcess] static int Fetch(int n) => n;
                static void Run(ProcessPool pool)
                {
                    int[] items = [1, 2, 3];
                    pool.Map({|PDSL0010:FetchAsync|}, items);
                    pool.Submit({|PDSL0010:NameAsync|}, 1);
                    pool.Map(Fetch, items);
                }
            }
            """);

        Assert.Contains(diagnostics, d => d.GetMessage() ==
            "[RunInProcess] method 'FetchAsync', which returns a task, is passed to ProcessPool.Map: a pool's worker runs one task at a time to completion, " +
            "so pools take [RunInProcess] methods that return their value directly; make the method synchronous, or start it with its generated Start launcher");
    }

    [Fact]
    public void Lambdas_given_to_other_apis_are_not_reported()
    {
        AnalyzerVerifier.Verify("""
            using System.Linq;
            using System.Threading.Tasks;
            static class Jobs
            {
                static int[] Run(int[] items)
                {
                    Task.Run(() => items.Length);
                    return items.Select(n => n + 1).ToArray();
                }
            }
            """);
    }

    [Fact]
    public void Shared_values_that_are_not_static_partial_shared_properties_are_reported()
    {
        var diagnostics = AnalyzerVerifier.Verify("""
            using ParallelDsl;
            partial class State
            {
                [SharedValue] partial Shared<int> {|PDSL0011:Instance|} { get; }
                [SharedValue] static Shared<int> {|PDSL0011:NotPartial|} { get; } = null!;
                [SharedValue] static partial int {|PDSL0011:WrongType|} { get; }
                [SharedValue] static partial Shared<long> Counter { get; }
                [SharedValue(Length = 4)] static partial SharedArray<double> Data { get; }
                [SharedValue(true)] public static partial Shared<bool> Flag { get; }
                static int Plain { get; set; }
                partial int NotShared { get; }
            }
            """);

        Assert.Contains(diagnostics, d => d.GetMessage().EndsWith("its type is 'int'", StringComparison.Ordinal));
    }

    [Fact]
    public void Shared_arrays_without_a_positive_length_are_reported_on_the_attribute()
    {
        AnalyzerVerifier.Verify("""
            using ParallelDsl;
            partial class State
            {
                [{|PDSL0012:SharedValue|}] static partial SharedArray<int> Missing { get; }
                [{|PDSL0012:SharedValue(Length = 0)|}] static partial SharedArray<int> Empty { get; }
                [SharedValue(Length = 8)] static partial SharedArray<int> Sized { get; }
                [SharedValue(5)] static partial Shared<int> Single { get; }
            }
            """);
    }
}
