using Microsoft.CodeAnalysis;
using Verify = ParallelDsl.Analyzers.Tests.Verifiers.ParallelDslVerifier;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0015: a [RunInProcess] method given to a cluster pool that takes or reads memory of this machine.</summary>
public class MachineBoundClusterTaskTests
{
    private const string Methods = """
        using ParallelDsl;
        using ParallelDsl.Cluster;
        partial class Jobs
        {
            [SharedValue] static partial Shared<int> Hits { get; }
            [RunInProcess] static int Sum(SharedArray<int> values) => values[0];
            [RunInProcess] static int Drain(int count, CrossProcessQueue<int> queue) => count;
            [RunInProcess] static int Lengths(SharedArray<int>[] parts) => parts.Length;
            [RunInProcess] static int Count(int n) => n + Seen();
            [RunInProcess] static int Double(int n) => n * 2;
            static int Seen() => Hits.Value;
        """;

    [Fact]
    public Task Methods_taking_shared_memory_queues_or_reading_shared_values_given_to_a_cluster_pool_are_reported() =>
        VerifyAsync(Methods + """
                static void Run(ClusterPool pool, SharedArray<int> values, CrossProcessQueue<int> queue)
                {
                    pool.Map({|#0:Sum|}, new[] { values });
                    pool.StarMap({|#1:Drain|}, new[] { (1, queue) });
                    pool.Submit({|#2:Lengths|}, new[] { values });
                    pool.Submit({|#3:Count|}, 3);
                    pool.Map(Double, new[] { 1, 2 });
                }
            }
            """,
            Verify.Diagnostic(DiagnosticDescriptors.MachineBoundClusterTask).WithLocation(0).WithMessage(
                "'Sum' is given to ClusterPool.Map, but its parameter 'values' (SharedArray<int>) is memory of this machine, which a worker on another machine cannot reach; pass the data itself, or run the method on a ProcessPool"),
            Verify.Diagnostic(DiagnosticDescriptors.MachineBoundClusterTask).WithLocation(1).WithArguments("Drain", "StarMap", "its parameter 'queue' (CrossProcessQueue<int>)"),
            Verify.Diagnostic(DiagnosticDescriptors.MachineBoundClusterTask).WithLocation(2).WithArguments("Lengths", "Submit", "its parameter 'parts' (SharedArray<int>[], holding SharedArray<int>)"),
            Verify.Diagnostic(DiagnosticDescriptors.MachineBoundClusterTask).WithLocation(3).WithArguments("Count", "Submit", "the [SharedValue] 'Hits' it reads through 'Seen'"));

    [Fact]
    public Task The_same_methods_on_a_local_pool_or_a_pool_not_known_to_be_a_cluster_are_not_reported() =>
        VerifyAsync(Methods + """
                static void Run(ProcessPool local, ProcessPoolBase any, SharedArray<int> values, CrossProcessQueue<int> queue)
                {
                    local.Map(Sum, new[] { values });
                    local.StarMap(Drain, new[] { (1, queue) });
                    local.Submit(Count, 3);
                    any.Map(Sum, new[] { values });
                    any.Submit(Count, 3);
                }
            }
            """);

    /// <summary>Every analyzer, in a project that references the cluster package as a user's cluster program does.</summary>
    private static Task VerifyAsync(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected)
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add(source);
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(ParallelDsl.Cluster.ClusterPool).Assembly.Location));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
