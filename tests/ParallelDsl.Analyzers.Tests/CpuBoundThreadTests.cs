using VerifyCS = ParallelDsl.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ParallelDsl.Analyzers.Rules.CpuBoundThreadAnalyzer>;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0003: threads that only compute.</summary>
public class CpuBoundThreadTests
{
    // ---- must report ----

    [Fact]
    public Task Thread_method_that_only_loops_over_arithmetic_is_reported() =>
        VerifyCS.VerifyAsync("""
            using System;
            using System.Collections.Generic;
            using ParallelDsl;
            partial class Primes
            {
                [RunInThread]
                static long {|#0:SumPrimes|}(int limit)
                {
                    long sum = 0;
                    for (int n = 2; n < limit; n++)
                    {
                        if (IsPrime(n)) sum += n;
                    }
                    return sum;
                }

                [RunInThread]
                static void {|PDSL0003:Histogram|}(int[] values)
                {
                    var counts = new Dictionary<int, int>();
                    foreach (int value in values)
                    {
                        counts[value % 10] = counts.TryGetValue(value % 10, out int c) ? c + 1 : 1;
                    }
                    double norm = Math.Sqrt(counts.Count);
                }

                static bool IsPrime(int n)
                {
                    for (int d = 2; d * d <= n; d++) if (n % d == 0) return false;
                    return true;
                }
            }
            """,
            VerifyCS.Diagnostic(DiagnosticDescriptors.CpuBoundThread).WithLocation(0).WithArguments("[RunInThread] method 'SumPrimes'"));

    [Fact]
    public Task Lambda_given_to_new_thread_that_only_computes_is_reported() =>
        VerifyCS.VerifyAsync("""
            using System.Threading;
            class Work
            {
                static void Start()
                {
                    var t = new Thread({|PDSL0003:() =>
                    {
                        double x = 0;
                        for (int i = 0; i < 1_000_000; i++) x += System.Math.Sin(i);
                    }|});
                    t.Start();
                }
            }
            """);

    [Fact]
    public Task Loops_over_hashing_math_string_and_array_work_are_reported() =>
        VerifyCS.VerifyAsync("""
            using System;
            using System.Security.Cryptography;
            using System.Text;
            using ParallelDsl;
            partial class Work
            {
                [RunInThread]
                static byte[] {|PDSL0003:Digest|}(string seed, int rounds)
                {
                    byte[] hash = Encoding.UTF8.GetBytes(seed);
                    for (int i = 0; i < rounds; i++) hash = SHA256.HashData(hash);
                    return hash;
                }
                [RunInThread]
                static int {|PDSL0003:Codes|}(string text)
                {
                    int h = 0;
                    foreach (char c in text.ToUpperInvariant()) h = HashCode.Combine(h, c, Math.Abs(c - 'A'));
                    return h;
                }
                [RunInThread]
                static void {|PDSL0003:Shuffle|}(int[] values)
                {
                    for (int i = values.Length - 1; i > 0; i--) Array.Reverse(values, 0, i);
                    Array.Sort(values);
                }
            }
            """);

    [Fact]
    public Task Linq_pipelines_recursion_and_one_print_after_the_loop_are_reported() =>
        VerifyCS.VerifyAsync("""
            using System;
            using System.Linq;
            using ParallelDsl;
            partial class Work
            {
                [RunInThread]
                static long {|PDSL0003:SumOfSquares|}(int n) => Enumerable.Range(0, n).Where(i => i % 3 == 0).Select(i => (long)i * i).Sum();
                [RunInThread]
                static long {|PDSL0003:Fibonacci|}(int n) => n < 2 ? n : Fibonacci(n - 1) + Fibonacci(n - 2);
                [RunInThread]
                static void {|PDSL0003:Report|}(int n)
                {
                    double total = 0;
                    for (int i = 1; i < n; i++) total += Math.Sqrt(i);
                    Console.WriteLine($"total: {total}");
                }
            }
            """);

    // ---- must not report ----

    [Fact]
    public Task Loops_that_read_write_wait_sleep_await_lock_or_call_unknown_code_are_not_reported() =>
        VerifyCS.VerifyAsync("""
            using System;
            using System.Collections.Concurrent;
            using System.IO;
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;
            using ParallelDsl;
            partial class Io
            {
                static readonly object Gate = new();
                static readonly BlockingCollection<int> Queue = new();
                static int s_total;
                [RunInThread] static void Heartbeat() { while (true) { Thread.Sleep(1000); } }
                [RunInThread] static void ReadLines(string path) { int chars = 0; foreach (string line in File.ReadLines(path)) { chars += line.Length; } }
                [RunInThread] static void Drain() { while (true) { int item = Queue.Take(); if (item < 0) return; } }
                [RunInThread] static void Receive(Socket socket) { var buffer = new byte[1024]; while (socket.Receive(buffer) > 0) { } }
                [RunInThread] static async Task Poll() { for (int i = 0; i < 3; i++) { await Task.Delay(10); } }
                [RunInThread] static void Count(int times) { for (int i = 0; i < times; i++) { lock (Gate) { s_total++; } } }
                [RunInThread] static void Print(int n) { for (int i = 0; i < n; i++) Console.WriteLine(i); }
                [RunInThread] static void Callback(Action<int> report) { for (int i = 0; i < 3; i++) report(i); }
                [RunInThread] static void Helper(int n) { for (int i = 0; i < n; i++) Log(i); }
                [RunInThread] static int NoLoop(int n) => n * n;
                static void Log(int i) => Console.Error.WriteLine(i);
            }
            """);

    [Fact]
    public Task Linq_over_io_recursion_that_waits_and_prints_per_iteration_are_not_reported() =>
        VerifyCS.VerifyAsync("""
            using System;
            using System.IO;
            using System.Linq;
            using System.Threading;
            using ParallelDsl;
            partial class Io
            {
                [RunInThread]
                static int LongLines(string path) => File.ReadLines(path).Where(l => l.Length > 80).Count();
                [RunInThread]
                static int Lengths(string[] paths) => paths.Select(p => File.ReadAllText(p).Length).Sum();
                [RunInThread]
                static void Retry(int n) { if (n == 0) return; Thread.Sleep(100); Retry(n - 1); }
                [RunInThread]
                static void Countdown(int n) { Console.WriteLine("start"); for (int i = n; i > 0; i--) { Console.WriteLine(i); } }
                [RunInThread]
                static void Walk(string dir) { foreach (string sub in Directory.GetDirectories(dir)) Walk(sub); }
                [RunInThread]
                static string Describe(string name, params int[] extra) => $"{name}:{extra.Sum()}";
            }
            """);
}
