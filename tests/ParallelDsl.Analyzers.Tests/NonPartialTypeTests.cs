using Verify = ParallelDsl.Analyzers.Tests.Verifiers.ParallelDslVerifier;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0006: a launched method whose containing type, or a type around it, is not partial.</summary>
public class NonPartialTypeTests
{
    [Fact]
    public Task Method_of_a_non_partial_type_is_reported_with_the_type_named() =>
        Verify.VerifyAsync("""
            using ParallelDsl;
            class Downloads
            {
                [RunInThread] static void {|#0:Fetch|}(string url) { }
            }
            """,
            Verify.Diagnostic(DiagnosticDescriptors.NonPartialType).WithLocation(0).WithArguments("Fetch", "RunInThread", "Downloads"));

    [Fact]
    public Task Method_of_a_partial_type_nested_in_a_non_partial_type_is_reported() =>
        Verify.VerifyAsync("""
            using ParallelDsl;
            class Outer
            {
                partial class Inner
                {
                    [RunInProcess] static int {|PDSL0006:Square|}(int n) => n * n;
                }
            }
            """);

    [Fact]
    public Task Methods_of_partial_types_and_unmarked_methods_are_not_reported() =>
        Verify.VerifyAsync("""
            using ParallelDsl;
            partial class Outer
            {
                internal partial class Inner
                {
                    [RunInThread] static void Fetch(string url) { }
                    [RunInProcess] static int Square(int n) => n * n;
                }

                partial class Hidden
                {
                    [RunInThread] static void Fetch(string url) { }
                    [RunInProcess] static int Square(int n) => n * n;
                }
            }
            class Plain
            {
                static void Helper<T>(ref T value) { }
                void Instance() { }
            }
            partial struct Point
            {
                [RunInThread] static void Print() { }
            }
            """);
}
