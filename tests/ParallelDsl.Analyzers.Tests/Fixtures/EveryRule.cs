// A program that breaks every ParallelDsl rule at least once, and follows them elsewhere: the robustness tests cut
// and garble it to check that no analyzer throws on incomplete code.
using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ParallelDsl;
using ParallelDsl.Cluster;

public sealed record Order(int Id, List<int> Lines, Action Callback);

class NotPartial
{
    [RunInThread] static void Fetch(string url) { }
}

partial class Jobs
{
    static readonly object Gate = new();
    static int s_total;
    static long s_bytes;
    int _instance;

    [SharedValue] static partial Shared<int> Hits { get; }
    [SharedValue] static partial SharedArray<int> Missing { get; }
    [SharedValue(Length = 4)] static partial SharedArray<double> Data { get; }
    [SharedValue] partial Shared<int> NotStatic { get; }

    [RunInThread]
    static long SumPrimes(int limit)
    {
        long sum = 0;
        for (int n = 2; n < limit; n++)
        {
            if (IsPrime(n)) sum += n;
        }

        s_total++;
        return sum;
    }

    static bool IsPrime(int n)
    {
        for (int d = 2; d * d <= n; d++) if (n % d == 0) return false;
        return true;
    }

    [RunInThread]
    void Record(string name)
    {
        lock (Gate) { s_total += name.Length; }
        _instance++;
        Hits.Value += 1;
        using (Hits.Lock()) { Hits.Value++; }
        Interlocked.Add(ref s_bytes, name.Length);
        Console.WriteLine(name);
    }

    [RunInThread] static void Generic<T>(T value) { }
    [RunInThread] static void ByRef(ref int value, out int result) { result = value; }

    [RunInProcess] static int Square(int n) { s_total = n; return n * n; }
    [RunInProcess] int Instance(int n) => n + _instance;
    [RunInProcess] static void Ship(Order order, Stream stream) { order.Lines[0] = 1; }
    [RunInProcess] static async Task<Thread> Spawn() { await Task.Yield(); return Thread.CurrentThread; }
    [RunInProcess] static ref int Slot(int[] values) => ref values[0];
    [RunInProcess] static int Total(SharedArray<int> values) => values[0];

    static void Start(ProcessPool pool)
    {
        new Thread(() => { double x = 0; for (int i = 0; i < 100; i++) x += Math.Sqrt(i); }).Start();
        Task.Run(() => s_total--);
        ThreadPool.QueueUserWorkItem(_ => s_bytes += 2);
        Parallel.For(0, 10, i => { lock (Gate) { s_total += i; } });
        pool.Map(Square, new[] { 1, 2, 3 });
        pool.Map(n => n + 1, new[] { 1, 2, 3 });
        pool.Map(IsPrime, new[] { 1, 2, 3 });
        using var orders = new CrossProcessQueue<Order>(8);
    }

    static void Scale(ClusterPool cluster, SharedArray<int> values)
    {
        cluster.Map(Square, new[] { 1, 2, 3 });
        cluster.Map(Total, new[] { values });
    }

    static void Main(string[] args)
    {
        Console.WriteLine("start");
        MainGuard.Enter(args);
    }
}
