using Microsoft.CodeAnalysis;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0003: threads that only compute.</summary>
public class CpuBoundThreadTests
{
    [Fact]
    public void Thread_method_that_only_loops_over_arithmetic_is_reported()
    {
        var diagnostics = AnalyzerVerifier.Verify("""
            using System;
            using System.Collections.Generic;
            using ParallelDsl;
            partial class Primes
            {
                [RunInThread]
                static long {|PDSL0003:SumPrimes|}(int limit)
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
            """);

        // Analyzers run concurrently, so diagnostics come in no fixed order: take SumPrimes' by its place in the source.
        Diagnostic first = diagnostics.Where(d => d.Id == "PDSL0003").OrderBy(d => d.Location.SourceSpan.Start).First();
        Assert.StartsWith("[RunInThread] method 'SumPrimes' only computes in loops", first.GetMessage());
    }

    [Fact]
    public void Lambda_given_to_new_thread_that_only_computes_is_reported()
    {
        AnalyzerVerifier.Verify("""
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
    }

    [Fact]
    public void Loops_that_read_write_wait_sleep_await_lock_or_call_unknown_code_are_not_reported()
    {
        AnalyzerVerifier.Verify("""
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
    }
}
