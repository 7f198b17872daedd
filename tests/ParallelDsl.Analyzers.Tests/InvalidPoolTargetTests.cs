using Verify = ParallelDsl.Analyzers.Tests.Verifiers.ParallelDslVerifier;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0010: what a process pool is given to run that is not a [RunInProcess] method it can send.</summary>
public class InvalidPoolTargetTests
{
    [Fact]
    public Task Lambdas_local_functions_plain_methods_and_delegate_values_given_to_a_pool_are_reported() =>
        Verify.VerifyAsync("""
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
                    pool.Map({|#0:Cube|}, items);
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
            """,
            Verify.Diagnostic(DiagnosticDescriptors.InvalidPoolTarget).WithLocation(0).WithMessage(
                "Method 'Cube', which is not [RunInProcess], is passed to ProcessPool.Map: a child process can only run a [RunInProcess] method, passed as a method group"));

    [Fact]
    public Task A_RunInProcess_method_that_returns_a_task_given_to_a_pool_is_reported_with_the_way_out() =>
        Verify.VerifyAsync("""
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
                    pool.Map({|#0:FetchAsync|}, items);
                    pool.Submit({|PDSL0010:NameAsync|}, 1);
                    pool.Map(Fetch, items);
                }
            }
            """,
            Verify.Diagnostic(DiagnosticDescriptors.InvalidPoolTarget).WithLocation(0).WithMessage(
                "[RunInProcess] method 'FetchAsync', which returns a task, is passed to ProcessPool.Map: a pool's worker runs one task at a time to completion, " +
                "so pools take [RunInProcess] methods that return their value directly; make the method synchronous, or start it with its generated Start launcher"));

    [Fact]
    public Task Lambdas_given_to_other_apis_are_not_reported() =>
        Verify.VerifyAsync("""
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
