using Microsoft.CodeAnalysis;
using VerifyCS = ParallelDsl.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<ParallelDsl.Analyzers.Rules.MissingMainGuardAnalyzer, ParallelDsl.CodeFixes.MissingMainGuardFixer>;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>The fix of PDSL0002: insert MainGuard.Enter(args) first.</summary>
public class MainGuardFixerTests
{
    [Fact]
    public async Task Guard_is_inserted_first_in_main()
    {
        await VerifyCS.VerifyFixAsync("""
            using ParallelDsl;
            static partial class Program
            {
                [RunInProcess] static int Square(int n) => n * n;

                static void {|PDSL0002:Main|}(string[] args)
                {
                    System.Console.WriteLine("start");
                }
            }
            """, """
            using ParallelDsl;
            static partial class Program
            {
                [RunInProcess] static int Square(int n) => n * n;

                static void Main(string[] args)
                {
                    MainGuard.Enter(args);
                    System.Console.WriteLine("start");
                }
            }
            """, outputKind: OutputKind.ConsoleApplication);
    }

    [Fact]
    public async Task Main_without_parameters_gets_args_and_the_using_is_added()
    {
        await VerifyCS.VerifyFixAsync("""
            using System.Threading.Tasks;
            static partial class Program
            {
                [ParallelDsl.RunInProcess] static int Square(int n) => n * n;

                static Task<int> {|PDSL0002:Main|}() => Task.FromResult(0);
            }
            """, """
            using System.Threading.Tasks;
            using ParallelDsl;
            static partial class Program
            {
                [ParallelDsl.RunInProcess] static int Square(int n) => n * n;

                static Task<int> Main(string[] args)
                {
                    MainGuard.Enter(args);
                    return Task.FromResult(0);
                }
            }
            """, outputKind: OutputKind.ConsoleApplication);
    }

    [Fact]
    public async Task A_late_guard_is_moved_first_in_top_level_statements()
    {
        await VerifyCS.VerifyFixAsync("""
            using ParallelDsl;

            {|PDSL0002:System.Console.WriteLine("start");|}
            MainGuard.Enter(args);
            using var pool = new ProcessPool(2);
            """, """
            using ParallelDsl;

            MainGuard.Enter(args);
            System.Console.WriteLine("start");
            using var pool = new ProcessPool(2);
            """, outputKind: OutputKind.ConsoleApplication);
    }

    [Fact]
    public async Task Guard_is_inserted_as_the_first_top_level_statement_above_a_partial_program()
    {
        await VerifyCS.VerifyFixAsync("""
            using ParallelDsl;

            // squares in a child process
            {|PDSL0002:System.Console.WriteLine(StartSquare(3).Join());|}

            partial class Program
            {
                [RunInProcess] static int Square(int n) => n * n;
            }
            """, """
            using ParallelDsl;

            // squares in a child process
            MainGuard.Enter(args);
            System.Console.WriteLine(StartSquare(3).Join());

            partial class Program
            {
                [RunInProcess] static int Square(int n) => n * n;
            }
            """, outputKind: OutputKind.ConsoleApplication);
    }
}
