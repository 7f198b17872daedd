using Verify = ParallelDsl.Analyzers.Tests.Verifiers.ParallelDslVerifier;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0007: a launched method that is generic.</summary>
public class GenericMethodTests
{
    [Fact]
    public Task Generic_methods_are_reported_and_methods_over_generic_types_are_not() =>
        Verify.VerifyAsync("""
            using ParallelDsl;
            partial class Jobs
            {
                [RunInThread] static void {|PDSL0007:Log|}<T>(T value) { }
                [RunInProcess] static T {|#0:Echo|}<T>(T value) => value;
                [RunInProcess] static int NotGeneric(int value) => value;
                [RunInProcess] static int Count(System.Collections.Generic.List<int> values) => values.Count;
                [RunInThread] static void Print(System.Collections.Generic.Dictionary<string, int[]> table) { }
                static T Helper<T>(T value) => value;
            }
            """,
            Verify.Diagnostic(DiagnosticDescriptors.GenericMethod).WithLocation(0).WithArguments("Echo", "RunInProcess"));
}
