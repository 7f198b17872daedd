using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ParallelDsl.Generator.Tests;

public sealed class PoolInterceptorTests
{
    private const string Methods = """
        using ParallelDsl;

        namespace Demo;

        static partial class Work
        {
            [RunInProcess] public static int Square(int n) => n * n;
            [RunInProcess] public static long Add(int a, long b) => a + b;
            [RunInProcess] public static string Join(string a, string b, int times) => a + b + times;
            [RunInProcess] public static void Setup() { }
            [RunInProcess] public static void Log(string message) { }
            public static int NotForProcesses(int n) => n;
        }
        """;

    private const string Calls = """
        using System;
        using System.Linq;
        using System.Threading.Tasks;
        using ParallelDsl;

        namespace Demo;

        static class Calls
        {
            public static async Task Run(ProcessPool pool)
            {
                int[] squares = pool.Map(Work.Square, [1, 2, 3]);
                int[] chunked = pool.Map(Work.Square, Enumerable.Range(0, 10), chunkSize: 2, timeout: TimeSpan.FromSeconds(5));
                int[] awaited = await pool.MapAsync(Work.Square, [4]);
                foreach (int s in pool.MapUnordered(Work.Square, [5])) { }
                await foreach (int s in pool.MapUnorderedAsync(Work.Square, [6])) { }
                long[] sums = pool.StarMap(Work.Add, [(1, 2L), (3, 4L)]);
                string[] joined = pool.StarMap(Work.Join, [("a", "b", 1)]);
                PoolTask<int> nine = pool.Submit(Work.Square, 3);
                using var other = new ProcessPool(initializer: ProcessAction.Of(Work.Setup));

                int[] lambda = pool.Map((int n) => n + 1, [1]);
                int[] plain = pool.Map(Work.NotForProcesses, [1]);
                Func<int, int> variable = Work.Square;
                int[] viaVariable = pool.Map(variable, [1]);
            }
        }
        """;

    [Fact]
    public void Method_groups_of_process_methods_are_redirected_to_their_descriptors()
    {
        IReadOnlyDictionary<string, string> generated = GeneratorHarness.RunClean(Methods, Calls);

        Snapshot.Match(generated["ParallelDsl.PoolInterceptors.g.cs"], "Pools/Interceptors");
        Snapshot.Match(generated["Demo.Work.Process.g.cs"], "Pools/Descriptors");
    }

    [Fact]
    public void Void_process_methods_of_one_parameter_are_redirected_to_their_procedure()
    {
        IReadOnlyDictionary<string, string> generated = GeneratorHarness.RunClean(Methods, """
            using System.Threading.Tasks;
            using ParallelDsl;

            namespace Demo;

            static class VoidCalls
            {
                public static async Task Run(ProcessPool pool)
                {
                    pool.Map(Work.Log, ["a", "b"]);
                    await pool.MapAsync(Work.Log, ["c"]);
                    PoolTask<object?> logged = pool.Submit(Work.Log, "d");
                }
            }
            """);
        string interceptors = generated["ParallelDsl.PoolInterceptors.g.cs"];

        Assert.Equal(3, interceptors.Split("global::Demo.Work.LogProcess.Procedure").Length - 1);
        Assert.Contains("public static void Map0(this global::ParallelDsl.ProcessPoolBase pool, global::System.Action<string> action", interceptors, StringComparison.Ordinal);
        Assert.Contains("ProcessAction<string> Procedure = new(Id, Name, EncodeArgument, EncodeBatch, DecodeBatch);", generated["Demo.Work.Process.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Calls_on_any_pool_of_the_shared_shape_are_redirected()
    {
        // A pool type derived from the shared base (as another transport's pool is) gets the same interceptors; the
        // base's constructor is for the runtime's friend assemblies, so the compilation takes one of their names.
        IReadOnlyDictionary<string, string> generated = GeneratorHarness.RunCleanAs("ParallelDsl.Cluster", Methods, """
            using ParallelDsl;

            namespace Demo;

            sealed class RemotePool(IPoolWorkerFactory workers) : ProcessPoolBase("remote", workers, new PoolEngineOptions { Workers = 1 });

            static class RemoteCalls
            {
                public static int[] Derived(RemotePool pool) => pool.Map(Work.Square, [1, 2]);

                public static PoolTask<int> Shared(ProcessPoolBase pool) => pool.Submit(Work.Square, 3);
            }
            """);
        string interceptors = generated["ParallelDsl.PoolInterceptors.g.cs"];

        Assert.Equal(2, interceptors.Split("[global::System.Runtime.CompilerServices.InterceptsLocation(").Length - 1);
        Assert.Contains("Map0(this global::ParallelDsl.ProcessPoolBase pool, global::System.Func<int, int> function", interceptors, StringComparison.Ordinal);
        Assert.Contains("=> pool.Submit(global::Demo.Work.SquareProcess.Function, argument, cancellationToken);", interceptors, StringComparison.Ordinal);
    }

    [Fact]
    public void Lambdas_delegate_variables_and_unannotated_methods_are_left_alone()
    {
        IReadOnlyDictionary<string, string> generated = GeneratorHarness.RunClean(Methods, Calls);
        string interceptors = generated["ParallelDsl.PoolInterceptors.g.cs"];

        // Eight pool calls and one ProcessAction.Of take a [RunInProcess] method group; the last three calls do not.
        Assert.Equal(9, interceptors.Split("[global::System.Runtime.CompilerServices.InterceptsLocation(").Length - 1);
        Assert.DoesNotContain("(22,", interceptors, StringComparison.Ordinal);
        Assert.DoesNotContain("(23,", interceptors, StringComparison.Ordinal);
        Assert.DoesNotContain("(25,", interceptors, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_pool_calls_no_interceptor_file_is_written()
    {
        IReadOnlyDictionary<string, string> generated = GeneratorHarness.RunClean(Methods);

        Assert.DoesNotContain("ParallelDsl.PoolInterceptors.g.cs", generated.Keys);
    }

    [Fact]
    public void An_edit_of_another_file_leaves_the_pool_call_steps_cached()
    {
        GeneratorHarness.AssertCachedAfterAddingAnUnrelatedFile([TrackingNames.PoolCalls, TrackingNames.CollectedPoolCalls], Methods, Calls);
    }

    [Fact]
    public void Editing_the_file_with_the_calls_moves_their_locations()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Methods, Calls);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        SyntaxTree tree = compilation.SyntaxTrees.Last();
        SyntaxTree moved = tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From("// a new first line\n" + Calls));
        GeneratorRunResult rerun = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, moved)).GetRunResult().Results.Single();

        Assert.Contains(rerun.TrackedSteps[TrackingNames.CollectedPoolCalls].SelectMany(run => run.Outputs),
            output => output.Reason == IncrementalStepRunReason.Modified);
        string interceptors = rerun.GeneratedSources.Single(s => s.HintName == "ParallelDsl.PoolInterceptors.g.cs").SourceText.ToString();
        Assert.Contains("// Source1.cs(13,", interceptors, StringComparison.Ordinal);
    }
}
