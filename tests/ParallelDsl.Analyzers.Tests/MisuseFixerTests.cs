using Microsoft.CodeAnalysis.CodeFixes;
using ParallelDsl.CodeFixes;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>The fixes of PDSL0006 (add partial) and PDSL0009 (make static).</summary>
public class MisuseFixerTests
{
    [Fact]
    public async Task Add_partial_marks_the_type_and_every_enclosing_type()
    {
        await FixerVerifier.VerifyFixAsync(new NonPartialTypeFixer(), """
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
    public async Task Add_partial_fixes_all_types_across_the_project()
    {
        await FixerVerifier.VerifyFixAllAsync(new NonPartialTypeFixer(), FixAllScope.Project, "PDSL0006.AddPartial",
            [
                """
                using ParallelDsl;
                class A
                {
                    [RunInThread] static void One() { }
                    [RunInThread] static void Two() { }
                }
                """,
                """
                using ParallelDsl;
                static class B
                {
                    [RunInProcess] static int Square(int n) => n * n;
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
            ]);
    }

    [Fact]
    public async Task Make_static_applies_when_the_body_does_not_use_the_instance()
    {
        await FixerVerifier.VerifyFixAsync(new InstanceProcessMethodFixer(), """
            using ParallelDsl;
            partial class Jobs
            {
                private readonly object _gate = new();
                [RunInProcess]
                public int {|PDSL0009:Square|}(int n) => n * n;
            }
            """, """
            using ParallelDsl;
            partial class Jobs
            {
                private readonly object _gate = new();
                [RunInProcess]
                public static int Square(int n) => n * n;
            }
            """);
    }

    [Fact]
    public async Task Make_static_is_not_offered_when_the_body_uses_the_instance()
    {
        await FixerVerifier.VerifyNoFixAsync(new InstanceProcessMethodFixer(), """
            using ParallelDsl;
            partial class Jobs
            {
                int _factor = 3;
                [RunInProcess]
                public int {|PDSL0009:Scale|}(int n) => n * _factor;
            }
            """);
    }
}
