// Celery's first example, ported: the same [RunInProcess] method mapped over a pool of worker programs that a
// RabbitMQ broker feeds, as Python users move from multiprocessing.Pool to Celery. The code that maps takes any
// ProcessPoolBase, so it runs unchanged on a local ProcessPool or on a ClusterPool.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ParallelDsl;
using ParallelDsl.Cluster;

namespace ParallelDsl.Samples.Cluster;

internal static partial class Program
{
    private const string Queue = "samples-primes";

    public static int Main(string[] args)
    {
        // On every machine this same program is also the worker: --paralleldsl-worker amqp://… makes the guard serve the queue.
        MainGuard.Enter(args);

        if (Environment.GetEnvironmentVariable("PARALLELDSL_BROKER") is { Length: > 0 } broker)
        {
            Console.WriteLine("broker: PARALLELDSL_BROKER (start workers with: ./Cluster --paralleldsl-worker $PARALLELDSL_BROKER)");
            using ClusterPool pool = ClusterPool.Connect(broker, Options());
            CountPrimes(pool);
            return 0;
        }

        if (PrivateBroker.TryStart() is PrivateBroker local)
        {
            using (local)
            {
                Console.WriteLine("broker: a private RabbitMQ node on 127.0.0.1, with two worker programs");
                using Process first = StartWorker(local.Uri);
                using Process second = StartWorker(local.Uri);
                try
                {
                    using ClusterPool pool = ClusterPool.Connect(local.Uri, Options());
                    CountPrimes(pool);
                }
                finally
                {
                    StopWorker(first);
                    StopWorker(second);
                }
            }

            return 0;
        }

        Console.WriteLine("broker: none (set PARALLELDSL_BROKER=amqp://user:pass@host/ and a PARALLELDSL_CLUSTER_KEY, or install rabbitmq-server); the same map on a local pool:");
        using (var pool = new ProcessPool(workers: 2))
        {
            CountPrimes(pool);
        }

        return 0;
    }

    /// <summary>The user's code: written once against the shared pool type.</summary>
    private static void CountPrimes(ProcessPoolBase pool)
    {
        int[] limits = [10_000, 20_000, 30_000, 40_000];
        int[] counts = pool.Map(PrimesBelow, limits, timeout: TimeSpan.FromMinutes(2));
        foreach ((int limit, int count) in limits.Zip(counts))
        {
            Console.WriteLine($"primes below {limit}: {count}");
        }

        PoolTask<int> single = pool.Submit(PrimesBelow, 100);
        Console.WriteLine($"submit: primes below 100 = {single.GetResult(TimeSpan.FromMinutes(1))}");
    }

    [RunInProcess]
    private static int PrimesBelow(int limit)
    {
        int count = 0;
        for (int n = 2; n < limit; n++)
        {
            bool prime = true;
            for (int d = 2; d * d <= n; d++)
            {
                if (n % d == 0)
                {
                    prime = false;
                    break;
                }
            }

            count += prime ? 1 : 0;
        }

        return count;
    }

    private static ClusterOptions Options() => new() { Queue = Queue, Key = Key };

    private static string Key => Environment.GetEnvironmentVariable(ClusterOptions.KeyVariable) ?? "sample-cluster-key-change-me";

    private static Process StartWorker(string uri)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            // Started as `dotnet Cluster.dll` (as the Tour does): the worker is the same assembly on the same host.
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
        }

        foreach (string argument in new[] { "--paralleldsl-worker", uri, "--queue", Queue, "--concurrency", "1" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[ClusterOptions.KeyVariable] = Key;
        Process worker = Process.Start(start)!;
        string? line = worker.StandardOutput.ReadLine();
        Console.WriteLine($"worker: {line?[(line.IndexOf("serves", StringComparison.Ordinal) is int at and >= 0 ? at : 0)..]}");
        return worker;
    }

    private static void StopWorker(Process worker)
    {
        worker.Kill(entireProcessTree: true);
        worker.WaitForExit();
    }
}

/// <summary>A private loopback RabbitMQ node for one run, started with the repository's scripts/broker.sh.</summary>
internal sealed class PrivateBroker : IDisposable
{
    private readonly string _script;
    private readonly string _folder;

    private PrivateBroker(string script, string folder, string uri)
    {
        _script = script;
        _folder = folder;
        Uri = uri;
    }

    public string Uri { get; }

    /// <summary>Starts a node when rabbitmq-server is installed and the script is found; else <see langword="null"/>.</summary>
    public static PrivateBroker? TryStart()
    {
        string? script = FindScript();
        if (script is null || Run(script, "installed").ExitCode != 0)
        {
            return null;
        }

        string folder = Path.Combine(Path.GetTempPath(), $"paralleldsl-sample-broker-{Environment.ProcessId}");
        (int exitCode, string output) = Run(script, "start", folder);
        return exitCode == 0 ? new PrivateBroker(script, folder, output.Trim()) : null;
    }

    public void Dispose()
    {
        Run(_script, "stop", _folder);
        Directory.Delete(_folder, recursive: true);
    }

    private static string? FindScript()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "scripts", "broker.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static (int ExitCode, string Output) Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
