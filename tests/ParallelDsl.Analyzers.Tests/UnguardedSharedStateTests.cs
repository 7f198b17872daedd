namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0001: fields written by concurrently running code without a lock, Interlocked or Volatile.</summary>
public class UnguardedSharedStateTests
{
    [Fact]
    public void Counter_incremented_in_a_thread_method_is_reported_with_the_field_and_the_method()
    {
        var diagnostics = AnalyzerVerifier.Verify("""
            using ParallelDsl;
            partial class Counter
            {
                static int s_total;
                [RunInThread]
                static void Add(int times)
                {
                    for (int i = 0; i < times; i++)
                    {
                        {|PDSL0001:s_total|}++;
                        System.Console.WriteLine(i);
                    }
                }
            }
            """);

        Assert.Equal("'s_total' is written without a lock, Interlocked or Volatile by code that runs concurrently: [RunInThread] method 'Add'",
            diagnostics.Single(d => d.Id == "PDSL0001").GetMessage());
    }

    [Fact]
    public void Compound_and_plain_writes_and_x_equals_x_plus_one_are_reported()
    {
        AnalyzerVerifier.Verify("""
            using ParallelDsl;
            partial class Stats
            {
                static long s_bytes;
                static double s_average;
                int _count;
                string? _last;
                [RunInThread]
                void Record(int size, string name)
                {
                    {|PDSL0001:s_bytes|} += size;
                    {|PDSL0001:s_average|} = s_average * 0.9;
                    {|PDSL0001:_count|} = _count + 1;
                    {|PDSL0001:this._last|} = name;
                    System.Console.WriteLine(name);
                }
            }
            """);
    }

    [Fact]
    public void Writes_in_delegates_given_to_threads_tasks_the_pool_and_parallel_loops_are_reported()
    {
        var diagnostics = AnalyzerVerifier.Verify("""
            using System.Threading;
            using System.Threading.Tasks;
            class Work
            {
                static int s_a, s_b, s_c, s_d, s_e, s_f;
                static void Start()
                {
                    new Thread(() => {|PDSL0001:s_a|}++).Start();
                    Task.Run(() => { {|PDSL0001:s_b|} += 2; });
                    ThreadPool.QueueUserWorkItem(_ => {|PDSL0001:s_c|}--);
                    Parallel.For(0, 10, i => {|PDSL0001:s_d|} += i);
                    Task.Factory.StartNew(Bump);
                    Parallel.Invoke(() => {|PDSL0001:s_f|} = 1, () => System.Console.WriteLine());
                }
                static void Bump() => {|PDSL0001:s_e|}++;
            }
            """);

        Assert.Contains(diagnostics, d => d.GetMessage().EndsWith("a lambda given to Parallel.For", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.GetMessage().EndsWith("method 'Bump' given to TaskFactory.StartNew", StringComparison.Ordinal));
    }

    [Fact]
    public void Writes_in_methods_called_from_a_thread_are_reported_once_with_the_path()
    {
        var diagnostics = AnalyzerVerifier.Verify(
            """
            using ParallelDsl;
            partial class Crawler
            {
                [RunInThread] static void First() => Helpers.CountPage();
                [RunInThread] static void Second() { Helpers.CountPage(); Helpers.CountPage(); }
            }
            """,
            """
            static class Helpers
            {
                public static int Pages;
                public static void CountPage() => Deeper();
                static void Deeper() => {|PDSL0001:Pages|}++;
            }
            """);

        Assert.Contains("'Deeper', called from [RunInThread] method", diagnostics.Single(d => d.Id == "PDSL0001").GetMessage());
    }

    [Fact]
    public void Calls_deeper_than_the_bound_are_not_followed()
    {
        AnalyzerVerifier.Verify("""
            using ParallelDsl;
            partial class Chain
            {
                static int s_value;
                [RunInThread] static void Root() => A();
                static void A() => B();
                static void B() => C();
                static void C() => D();
                static void D() => s_value++;
            }
            """);
    }

    [Fact]
    public void Guarded_writes_are_not_reported()
    {
        AnalyzerVerifier.Verify("""
            using System;
            using System.Threading;
            using ParallelDsl;
            partial class Guarded
            {
                static readonly object Gate = new();
                static readonly Lock NewGate = new();
                static readonly SemaphoreSlim Semaphore = new(1);
                static readonly ReaderWriterLockSlim Rw = new();
                static int s_a, s_b, s_c, s_d, s_e, s_f, s_g, s_h;
                [RunInThread]
                static void Work()
                {
                    lock (Gate) { s_a++; }
                    using (NewGate.EnterScope()) { s_b += 2; }
                    Monitor.Enter(Gate);
                    try { s_c = s_c + 1; } finally { Monitor.Exit(Gate); }
                    Semaphore.Wait();
                    try { s_d--; } finally { Semaphore.Release(); }
                    Rw.EnterWriteLock();
                    try { s_e = 5; } finally { Rw.ExitWriteLock(); }
                    Interlocked.Increment(ref s_f);
                    Interlocked.Add(ref s_g, 10);
                    Volatile.Write(ref s_h, 3);
                    lock (Gate)
                    {
                        Tally();
                    }
                }
                static void Tally() { }
            }
            """);
    }

    [Fact]
    public void Thread_local_readonly_volatile_and_non_shared_state_is_not_reported()
    {
        AnalyzerVerifier.Verify("""
            using System.Collections.Concurrent;
            using System.Threading;
            using ParallelDsl;
            partial class Safe
            {
                [System.ThreadStatic] static int t_perThread;
                static readonly ThreadLocal<int> Local = new();
                static readonly ConcurrentQueue<int> Queue = new();
                static volatile bool s_stop;
                static int s_notConcurrent;
                sealed class Box { public int Value; }
                [RunInThread]
                static void Work(Box shared)
                {
                    t_perThread++;
                    Local.Value++;
                    Queue.Enqueue(1);
                    s_stop = true;
                    var mine = new Box();
                    mine.Value++;
                    int local = 0;
                    local++;
                    System.Console.WriteLine(local + shared.Value);
                }
                static void Main() => s_notConcurrent++;
            }
            """);
    }

    [Fact]
    public void A_lock_around_starting_a_thread_does_not_guard_the_thread()
    {
        AnalyzerVerifier.Verify("""
            using System.Threading.Tasks;
            class Work
            {
                static readonly object Gate = new();
                static int s_value;
                static Task Start()
                {
                    lock (Gate)
                    {
                        return Task.Run(() => {|PDSL0001:s_value|}++);
                    }
                }
            }
            """);
    }

    [Fact]
    public void Shared_value_read_modify_written_outside_its_lock_is_reported()
    {
        AnalyzerVerifier.Verify("""
            using ParallelDsl;
            static class Counters
            {
                public static Shared<int> Hits = null!;
                public static void Count(Shared<long> bytes, int size)
                {
                    {|PDSL0001:Hits.Value|}++;
                    {|PDSL0001:bytes.Value|} += size;
                    {|PDSL0001:Hits.Value|} = Hits.Value * 2;
                    Hits.Value = size;
                    using (Hits.Lock())
                    {
                        Hits.Value++;
                    }

                    using var scope = bytes.Lock();
                    bytes.Value += size;
                }
            }
            """);
    }
}
