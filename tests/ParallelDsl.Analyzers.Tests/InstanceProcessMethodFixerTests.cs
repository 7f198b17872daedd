using VerifyCS = ParallelDsl.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<ParallelDsl.Analyzers.Rules.InstanceProcessMethodAnalyzer, ParallelDsl.CodeFixes.InstanceProcessMethodFixer>;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>The fix of PDSL0009: make the method static when its body does not use the instance.</summary>
public class InstanceProcessMethodFixerTests
{
    [Fact]
    public async Task Make_static_applies_when_the_body_does_not_use_the_instance()
    {
        await VerifyCS.VerifyFixAsync("""
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
        await VerifyCS.VerifyNoFixAsync("""
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
