using Verify = ParallelDsl.Analyzers.Tests.Verifiers.ParallelDslVerifier;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0008: ref, out, in, pointer and ref struct parameters of launched methods.</summary>
public class ByRefParameterTests
{
    [Fact]
    public Task By_ref_and_pointer_parameters_are_reported_on_the_parameter() =>
        Verify.VerifyAsync("""
            using ParallelDsl;
            unsafe partial class Jobs
            {
                [RunInThread] static void Fill(ref int {|PDSL0008:total|}, out int {|#0:count|}) { count = 0; }
                [RunInThread] static void Read(in long {|PDSL0008:value|}) { }
                [RunInProcess] static void Poke(int* {|#1:address|}) { }
                [RunInProcess] static int ByValue(int total, params int[] rest) => total;
                [RunInThread] static void Defaults(string? name = null, long size = 0) { }
                [RunInThread] static void Locals(int[] values) { ref int first = ref values[0]; first++; }
                static void Unmarked(ref int total, out int count, int* address) { count = total; }
            }
            """,
            Verify.Diagnostic(DiagnosticDescriptors.ByRefParameter).WithLocation(0).WithArguments("count", "RunInThread", "Fill", "an out parameter"),
            Verify.Diagnostic(DiagnosticDescriptors.ByRefParameter).WithLocation(1).WithArguments("address", "RunInProcess", "Poke", "a pointer"));
}
