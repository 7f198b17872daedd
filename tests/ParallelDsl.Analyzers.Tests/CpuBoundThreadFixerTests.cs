using VerifyCS = ParallelDsl.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<ParallelDsl.Analyzers.Rules.CpuBoundThreadAnalyzer, ParallelDsl.CodeFixes.CpuBoundThreadFixer>;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>The fix of PDSL0003: switch [RunInThread] to [RunInProcess].</summary>
public class CpuBoundThreadFixerTests
{
    [Fact]
    public async Task Static_method_with_crossable_types_switches_to_run_in_process_without_max_concurrency()
    {
        await VerifyCS.VerifyFixAsync("""
            using ParallelDsl;
            partial class Primes
            {
                [RunInThread(Name = "primes", MaxConcurrency = 2, Daemon = true)]
                static long {|PDSL0003:Sum|}(int limit)
                {
                    long sum = 0;
                    for (int n = 0; n < limit; n++) sum += n;
                    return sum;
                }
            }
            """, """
            using ParallelDsl;
            partial class Primes
            {
                [RunInProcess(Name = "primes", Daemon = true)]
                static long Sum(int limit)
                {
                    long sum = 0;
                    for (int n = 0; n < limit; n++) sum += n;
                    return sum;
                }
            }
            """);
    }

    [Fact]
    public async Task Qualified_attribute_name_is_switched_and_an_emptied_argument_list_is_removed()
    {
        await VerifyCS.VerifyFixAsync("""
            partial class Primes
            {
                [ParallelDsl.RunInThreadAttribute(MaxConcurrency = 4)]
                static int[] {|PDSL0003:Doubled|}(int[] data)
                {
                    var result = new int[data.Length];
                    for (int i = 0; i < data.Length; i++) result[i] = data[i] * 2;
                    return result;
                }
            }
            """, """
            partial class Primes
            {
                [ParallelDsl.RunInProcessAttribute]
                static int[] Doubled(int[] data)
                {
                    var result = new int[data.Length];
                    for (int i = 0; i < data.Length; i++) result[i] = data[i] * 2;
                    return result;
                }
            }
            """);
    }

    [Fact]
    public async Task No_switch_is_offered_when_the_child_would_lose_writes_to_arguments_or_statics()
    {
        await VerifyCS.VerifyNoFixAsync("""
            using ParallelDsl;
            partial class Primes
            {
                [RunInThread]
                static void {|PDSL0003:DoubleInPlace|}(int[] data)
                {
                    for (int i = 0; i < data.Length; i++) data[i] *= 2;
                }
            }
            """);
        await VerifyCS.VerifyNoFixAsync("""
            using ParallelDsl;
            partial class Primes
            {
                static long s_sum;
                [RunInThread]
                static void {|PDSL0003:Sum|}(int limit)
                {
                    long local = 0;
                    for (int n = 0; n < limit; n++) local += n;
                    Publish(local);
                }
                static void Publish(long value) => s_sum = value;
            }
            """);
    }

    [Fact]
    public async Task No_switch_is_offered_for_instance_methods_or_types_that_cannot_cross()
    {
        await VerifyCS.VerifyNoFixAsync("""
            using ParallelDsl;
            partial class Primes
            {
                int _limit = 10;
                [RunInThread]
                void {|PDSL0003:Sum|}()
                {
                    long sum = 0;
                    for (int n = 0; n < _limit; n++) sum += n;
                }
            }
            """);
        await VerifyCS.VerifyNoFixAsync("""
            using ParallelDsl;
            partial class Primes
            {
                [RunInThread]
                static void {|PDSL0003:Sum|}(System.IntPtr handle)
                {
                    long sum = 0;
                    for (int n = 0; n < 10; n++) sum += n;
                }
            }
            """);
    }
}
