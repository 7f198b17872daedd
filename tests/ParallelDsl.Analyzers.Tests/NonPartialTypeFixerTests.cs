using VerifyCS = ParallelDsl.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<ParallelDsl.Analyzers.Rules.NonPartialTypeAnalyzer, ParallelDsl.CodeFixes.NonPartialTypeFixer>;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>The fix of PDSL0006: make the containing types partial.</summary>
public class NonPartialTypeFixerTests
{
    [Fact]
    public async Task Add_partial_marks_the_type_and_every_enclosing_type()
    {
        await VerifyCS.VerifyFixAsync("""
            using ParallelDsl;
            public class Outer
            {
                internal sealed class Inner
                {
                    [RunInThread] static void {|PDSL0006:Run|}() { }
                }
            }
            """, """
            using ParallelDsl;
            public partial class Outer
            {
                internal sealed partial class Inner
                {
                    [RunInThread] static void Run() { }
                }
            }
            """);
    }

    [Fact]
    public async Task Add_partial_fixes_all_types_across_the_project_in_every_fix_all_scope()
    {
        await VerifyCS.VerifyFixAsync(
            [
                """
                using ParallelDsl;
                class A
                {
                    [RunInThread] static void {|PDSL0006:One|}() { }
                    [RunInThread] static void {|PDSL0006:Two|}() { }
                }
                """,
                """
                using ParallelDsl;
                static class B
                {
                    [RunInProcess] static int {|PDSL0006:Square|}(int n) => n * n;
                }
                """,
            ],
            [
                """
                using ParallelDsl;
                partial class A
                {
                    [RunInThread] static void One() { }
                    [RunInThread] static void Two() { }
                }
                """,
                """
                using ParallelDsl;
                static partial class B
                {
                    [RunInProcess] static int Square(int n) => n * n;
                }
                """,
            ],
            "PDSL0006.AddPartial");
    }
}
