// The cluster's figures on one broker (bench/suites/cluster.sh starts a private loopback node and passes its URI):
//
//   ParallelDsl.Benchmarks.Cluster URI [--smoke]
//
// Starts its own worker programs (this program with --paralleldsl-worker) and prints BENCH lines: the round trip of
// one task (median), the same round trip over bare RabbitMQ.Client request/reply (the floor), the throughput of a
// Map of tiny tasks, and a CPU-bound map over 1 and then 2 worker programs of 1 process each.
using System.Diagnostics;
using System.Globalization;
using ParallelDsl;
using ParallelDsl.Cluster;
using ParallelDsl.Tests.Fixtures;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ParallelDsl.Benchmarks.Cluster;

internal static partial class Program
{
    private const string Key = "bench-cluster-key-0123456789";

    private static int Main(string[] args)
    {
        MainGuard.Enter(args);
        string uri = args[0];
        bool smoke = args.Contains("--smoke");
        int roundTrips = smoke ? 30 : 500;
        int tiny = smoke ? 20_000 : 1_000_000;

        using (Worker worker = Worker.Start(uri, "bench-tiny", concurrency: 2))
        using (ClusterPool pool = Connect(uri, "bench-tiny"))
        {
            pool.Map(ClusterTasks.Double, Enumerable.Range(0, 1000));
            Report("cluster_roundtrip_median", Median(roundTrips, i => pool.Submit(ClusterTasks.Double, i).GetResult(TimeSpan.FromMinutes(1))), "ms");

            int[] items = [.. Enumerable.Range(0, tiny)];
            var clock = Stopwatch.StartNew();
            int[] doubled = pool.Map(ClusterTasks.Double, items, timeout: TimeSpan.FromMinutes(10));
            double seconds = clock.Elapsed.TotalSeconds;
            Check(doubled.Length == tiny && doubled[^1] == (tiny - 1) * 2, "the map of tiny tasks returned wrong results");
            Report("cluster_map_tiny_tasks_per_s", tiny / seconds, "tasks/s");
        }

        Report("bare_rabbitmq_roundtrip_median", BareRoundTrip(uri, roundTrips, quorum: false), "ms");
        Report("bare_rabbitmq_quorum_roundtrip_median", BareRoundTrip(uri, roundTrips, quorum: true), "ms");

        int[] limits = [.. Enumerable.Repeat(smoke ? 20_000 : 400_000, smoke ? 4 : 16)];
        using (Worker first = Worker.Start(uri, "bench-primes", concurrency: 1))
        using (ClusterPool pool = Connect(uri, "bench-primes"))
        {
            pool.Map(ClusterTasks.CountPrimes, [1000, 1000]);
            double one = Time(() => pool.Map(ClusterTasks.CountPrimes, limits, chunkSize: 1, timeout: TimeSpan.FromMinutes(10)));
            using Worker second = Worker.Start(uri, "bench-primes", concurrency: 1);
            double two = Time(() => pool.Map(ClusterTasks.CountPrimes, limits, chunkSize: 1, timeout: TimeSpan.FromMinutes(10)));
            Report("cluster_primes_1_worker", one, "s");
            Report("cluster_primes_2_workers", two, "s");
            Report("cluster_scaling_2_over_1_workers", one / two, "x");
        }

        return 0;
    }

    private static ClusterPool Connect(string uri, string queue) =>
        ClusterPool.Connect(uri, new ClusterOptions { Queue = queue, Key = Key });

    /// <summary>
    /// The floor: one publish to a queue, one consumer that answers x*2 to the reply queue, one wait. With
    /// <paramref name="quorum"/> the request queue is a durable quorum queue with persistent messages, as the cluster's
    /// task queue is: the broker delivers a message to it only once it is committed to its log on disk.
    /// </summary>
    private static double BareRoundTrip(string uri, int count, bool quorum)
    {
        var factory = new ConnectionFactory { Uri = new Uri(uri) };
        using IConnection serverConnection = factory.CreateConnectionAsync().GetAwaiter().GetResult();
        using IChannel server = serverConnection.CreateChannelAsync().GetAwaiter().GetResult();
        string requests = quorum
            ? server.QueueDeclareAsync("bench-bare-quorum", durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }).GetAwaiter().GetResult().QueueName
            : server.QueueDeclareAsync("bench-bare", durable: false, exclusive: false, autoDelete: true).GetAwaiter().GetResult().QueueName;
        var echo = new AsyncEventingBasicConsumer(server);
        echo.ReceivedAsync += async (_, delivery) =>
        {
            int x = BitConverter.ToInt32(delivery.Body.Span);
            var properties = new BasicProperties { CorrelationId = delivery.BasicProperties.CorrelationId };
            await server.BasicPublishAsync(string.Empty, delivery.BasicProperties.ReplyTo!, false, properties, BitConverter.GetBytes(x * 2));
        };
        server.BasicConsumeAsync(requests, autoAck: true, echo).GetAwaiter().GetResult();

        using IConnection clientConnection = factory.CreateConnectionAsync().GetAwaiter().GetResult();
        using IChannel client = clientConnection.CreateChannelAsync().GetAwaiter().GetResult();
        string replies = client.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true).GetAwaiter().GetResult().QueueName;
        TaskCompletionSource<int>? waiting = null;
        var answers = new AsyncEventingBasicConsumer(client);
        answers.ReceivedAsync += (_, delivery) =>
        {
            waiting!.TrySetResult(BitConverter.ToInt32(delivery.Body.Span));
            return Task.CompletedTask;
        };
        client.BasicConsumeAsync(replies, autoAck: true, answers).GetAwaiter().GetResult();
        var properties = new BasicProperties { ReplyTo = replies, DeliveryMode = quorum ? DeliveryModes.Persistent : DeliveryModes.Transient };
        double median = Median(count, i =>
        {
            waiting = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            client.BasicPublishAsync(string.Empty, requests, false, properties, BitConverter.GetBytes(i)).AsTask().GetAwaiter().GetResult();
            return waiting.Task.GetAwaiter().GetResult();
        });
        if (quorum)
        {
            server.QueueDeleteAsync(requests).GetAwaiter().GetResult();
        }

        return median;
    }

    private static double Median(int count, Func<int, int> roundTrip)
    {
        var times = new double[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            int answer = roundTrip(i);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            Check(answer == i * 2, "a round trip returned a wrong result");
        }

        Array.Sort(times);
        return times[count / 2];
    }

    private static double Time(Action run)
    {
        var clock = Stopwatch.StartNew();
        run();
        return clock.Elapsed.TotalSeconds;
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    private static void Report(string name, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH {name} {value:0.####} {unit}"));

    /// <summary>A worker program of this benchmark (this program started with the worker switch), killed with its processes on dispose.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly Process _process;

        private Worker(Process process) => _process = process;

        public static Worker Start(string uri, string queue, int concurrency)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
            foreach (string argument in new[] { "--paralleldsl-worker", uri, "--queue", queue, "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment[ClusterOptions.KeyVariable] = Key;
            Process process = Process.Start(start)!;
            process.StandardOutput.ReadLine();
            return new Worker(process);
        }

        public void Dispose()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}
