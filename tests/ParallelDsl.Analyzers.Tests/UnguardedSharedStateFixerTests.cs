using Microsoft.CodeAnalysis.Testing;
using ParallelDsl.CodeFixes;
using VerifyCS = ParallelDsl.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<ParallelDsl.Analyzers.Rules.UnguardedSharedStateAnalyzer, ParallelDsl.CodeFixes.UnguardedSharedStateFixer>;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>The fixes of PDSL0001: wrap in a lock, or use Interlocked.</summary>
public class UnguardedSharedStateFixerTests
{
    private const string Lock = UnguardedSharedStateFixer.LockKey;
    private const string Interlocked = UnguardedSharedStateFixer.InterlockedKey;

    // PDSL0001 is reported when the whole compilation has been seen (a conflict needs both accesses), so its
    // diagnostics are non-local, and Microsoft.CodeAnalysis.CodeFix.Testing refuses to fix those unless told
    // (CodeFixTestBehaviors.SkipLocalDiagnosticCheck). Its maintainers call a test that needs the flag a sign of a
    // product limit, and it is one: an editor computes such diagnostics only in full-solution analysis and may not
    // offer their fixes at all. The flag is set here only, for these tests; the shared-memory write below
    // is reported at once, is local, and is tested without it.
    private static Task VerifyFixAsync(string source, string fixedSource, string equivalenceKey) =>
        VerifyCS.VerifyFixAsync(source, fixedSource, equivalenceKey, behaviors: CodeFixTestBehaviors.SkipLocalDiagnosticCheck);

    private static Task VerifyFixAsync(string[] sources, string[] fixedSources, string equivalenceKey) =>
        VerifyCS.VerifyFixAsync(sources, fixedSources, equivalenceKey, behaviors: CodeFixTestBehaviors.SkipLocalDiagnosticCheck);

    private static Task VerifyNoFixAsync(string source, string equivalenceKey) =>
        VerifyCS.VerifyNoFixAsync(source, equivalenceKey, CodeFixTestBehaviors.SkipLocalDiagnosticCheck);

    [Fact]
    public async Task Lock_wraps_the_statement_and_adds_a_static_lock_object_when_there_is_none()
    {
        await VerifyFixAsync("""
            using ParallelDsl;
            partial class Counter
            {
                static int s_total;

                [RunInThread]
                static void Add(int times)
                {
                    for (int i = 0; i < times; i++)
                    {
                        {|PDSL0001:s_total|} += i;
                    }
                }
            }
            """, """
            using ParallelDsl;
            partial class Counter
            {
                private static readonly object StateLock = new();
                static int s_total;

                [RunInThread]
                static void Add(int times)
                {
                    for (int i = 0; i < times; i++)
                    {
                        lock (StateLock)
                        {
                            s_total += i;
                        }
                    }
                }
            }
            """, Lock);
    }

    [Fact]
    public async Task Lock_reuses_an_existing_lock_object_and_turns_an_expression_lambda_into_a_block()
    {
        await VerifyFixAsync("""
            using System.Threading.Tasks;
            class Work
            {
                private static readonly object Gate = new();
                static double s_value;

                static Task<double> Start() => Task.Run(() => {|PDSL0001:s_value|} = s_value * 2);
            }
            """, """
            using System.Threading.Tasks;
            class Work
            {
                private static readonly object Gate = new();
                static double s_value;

                static Task<double> Start() => Task.Run(() =>
                {
                    lock (Gate)
                    {
                        return s_value = s_value * 2;
                    }
                });
            }
            """, Lock);
    }

    [Fact]
    public async Task Lock_on_an_instance_field_in_an_instance_method_adds_an_instance_lock_object()
    {
        await VerifyFixAsync("""
            using ParallelDsl;
            partial class Stats
            {
                string _last = "";

                [RunInThread]
                void Record(string name) => {|PDSL0001:_last|} = name;
            }
            """, """
            using ParallelDsl;
            partial class Stats
            {
                private readonly object _stateLock = new();
                string _last = "";

                [RunInThread]
                void Record(string name)
                {
                    lock (_stateLock)
                    {
                        _last = name;
                    }
                }
            }
            """, Lock);
    }

    [Fact]
    public Task Shared_array_element_is_written_inside_the_arrays_own_lock_scope() =>
        VerifyCS.VerifyFixAsync("""
            using ParallelDsl;
            partial class Tally
            {
                [SharedValue(Length = 4)] static partial SharedArray<int> Data { get; }

                [RunInProcess]
                static void Work(int i)
                {
                    {|PDSL0001:Data[i]|} += 1;
                }
            }
            """, """
            using ParallelDsl;
            partial class Tally
            {
                [SharedValue(Length = 4)] static partial SharedArray<int> Data { get; }

                [RunInProcess]
                static void Work(int i)
                {
                    using (Data.Lock())
                    {
                        Data[i] += 1;
                    }
                }
            }
            """, Lock);

    [Fact]
    public async Task Shared_value_is_written_inside_its_own_lock_scope()
    {
        await VerifyFixAsync("""
            using ParallelDsl;
            static class Counters
            {
                public static void Count(Shared<long> bytes, int size)
                {
                    {|PDSL0001:bytes.Value|} += size;
                }
            }
            """, """
            using ParallelDsl;
            static class Counters
            {
                public static void Count(Shared<long> bytes, int size)
                {
                    using (bytes.Lock())
                    {
                        bytes.Value += size;
                    }
                }
            }
            """, Lock);
    }

    [Fact]
    public async Task Interlocked_replaces_increment_and_subtraction_and_adds_the_using()
    {
        await VerifyFixAsync("""
            using ParallelDsl;
            partial class Counter
            {
                static long s_total;

                [RunInThread]
                static void Take(int n)
                {
                    {|PDSL0001:s_total|} -= n;
                }
            }
            """, """
            using System.Threading;
            using ParallelDsl;
            partial class Counter
            {
                static long s_total;

                [RunInThread]
                static void Take(int n)
                {
                    Interlocked.Add(ref s_total, -n);
                }
            }
            """, Interlocked);
    }

    [Fact]
    public async Task Interlocked_is_not_offered_for_doubles_or_when_the_value_is_used()
    {
        await VerifyNoFixAsync("""
            using ParallelDsl;
            partial class Counter
            {
                static double s_total;
                [RunInThread] static void Add() { {|PDSL0001:s_total|}++; }
            }
            """, Interlocked);
        await VerifyNoFixAsync("""
            using ParallelDsl;
            partial class Counter
            {
                static int s_total;
                [RunInThread] static void Add() { System.Console.WriteLine({|PDSL0001:s_total|}++); }
            }
            """, Interlocked);
    }

    [Fact]
    public async Task Lock_is_not_offered_where_it_would_end_a_variable_scope()
    {
        await VerifyNoFixAsync("""
            using ParallelDsl;
            partial class Counter
            {
                static int s_total;
                [RunInThread] static void Add() { int seen = {|PDSL0001:s_total|}++; System.Console.WriteLine(seen); }
            }
            """, Lock);
    }

    [Fact]
    public async Task Fixes_in_a_document_share_one_lock_object_per_type()
    {
        await VerifyFixAsync(
            [
                """
                using ParallelDsl;
                partial class Counter
                {
                    static int s_a;
                    static int s_b;

                    [RunInThread]
                    static void Add()
                    {
                        {|PDSL0001:s_a|}++;
                        {|PDSL0001:s_b|}--;
                    }
                }
                """,
            ],
            [
                """
                using ParallelDsl;
                partial class Counter
                {
                    private static readonly object StateLock = new();
                    static int s_a;
                    static int s_b;

                    [RunInThread]
                    static void Add()
                    {
                        lock (StateLock)
                        {
                            s_a++;
                        }

                        lock (StateLock)
                        {
                            s_b--;
                        }
                    }
                }
                """,
            ],
            Lock);
    }

    [Fact]
    public async Task Interlocked_is_used_in_every_document_of_the_project()
    {
        await VerifyFixAsync(
            [
                """
                using System.Threading;
                class A
                {
                    static int s_count;
                    static void Start() => new Thread(() => { {|PDSL0001:s_count|}++; }).Start();
                }
                """,
                """
                using System.Threading.Tasks;
                class B
                {
                    static long s_bytes;
                    static void Start(int n) => Parallel.For(0, n, i => { {|PDSL0001:s_bytes|} += i; });
                }
                """,
            ],
            [
                """
                using System.Threading;
                class A
                {
                    static int s_count;
                    static void Start() => new Thread(() => { Interlocked.Increment(ref s_count); }).Start();
                }
                """,
                """
                using System.Threading;
                using System.Threading.Tasks;
                class B
                {
                    static long s_bytes;
                    static void Start(int n) => Parallel.For(0, n, i => { Interlocked.Add(ref s_bytes, i); });
                }
                """,
            ],
            Interlocked);
    }
}
