using Microsoft.CodeAnalysis.CodeFixes;
using ParallelDsl.CodeFixes;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>The fixes of PDSL0001: wrap in a lock, or use Interlocked.</summary>
public class UnguardedSharedStateFixerTests
{
    private const string Lock = UnguardedSharedStateFixer.LockKey;
    private const string Interlocked = UnguardedSharedStateFixer.InterlockedKey;

    [Fact]
    public async Task Lock_wraps_the_statement_and_adds_a_static_lock_object_when_there_is_none()
    {
        await FixerVerifier.VerifyFixAsync(new UnguardedSharedStateFixer(), """
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
        await FixerVerifier.VerifyFixAsync(new UnguardedSharedStateFixer(), """
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
        await FixerVerifier.VerifyFixAsync(new UnguardedSharedStateFixer(), """
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
        Verifiers.CSharpCodeFixVerifier<ParallelDsl.Analyzers.Rules.UnguardedSharedStateAnalyzer, UnguardedSharedStateFixer>.VerifyFixAsync("""
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
        await FixerVerifier.VerifyFixAsync(new UnguardedSharedStateFixer(), """
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
        await FixerVerifier.VerifyFixAsync(new UnguardedSharedStateFixer(), """
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
        await FixerVerifier.VerifyNoFixAsync(new UnguardedSharedStateFixer(), """
            using ParallelDsl;
            partial class Counter
            {
                static double s_total;
                [RunInThread] static void Add() { {|PDSL0001:s_total|}++; }
            }
            """, Interlocked);
        await FixerVerifier.VerifyNoFixAsync(new UnguardedSharedStateFixer(), """
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
        await FixerVerifier.VerifyNoFixAsync(new UnguardedSharedStateFixer(), """
            using ParallelDsl;
            partial class Counter
            {
                static int s_total;
                [RunInThread] static void Add() { int seen = {|PDSL0001:s_total|}++; System.Console.WriteLine(seen); }
            }
            """, Lock);
    }

    [Fact]
    public async Task Fix_all_in_a_document_adds_one_lock_object_per_type()
    {
        await FixerVerifier.VerifyFixAllAsync(new UnguardedSharedStateFixer(), FixAllScope.Document, Lock,
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
                        s_a++;
                        s_b--;
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
            ]);
    }

    [Fact]
    public async Task Fix_all_in_the_project_uses_interlocked_in_every_document()
    {
        await FixerVerifier.VerifyFixAllAsync(new UnguardedSharedStateFixer(), FixAllScope.Project, Interlocked,
            [
                """
                using System.Threading;
                class A
                {
                    static int s_count;
                    static void Start() => new Thread(() => { s_count++; }).Start();
                }
                """,
                """
                using System.Threading.Tasks;
                class B
                {
                    static long s_bytes;
                    static void Start(int n) => Parallel.For(0, n, i => { s_bytes += i; });
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
            ]);
    }
}
