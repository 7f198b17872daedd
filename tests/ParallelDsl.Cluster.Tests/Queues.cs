using RabbitMQ.Client;

namespace ParallelDsl.Cluster.Tests;

/// <summary>Each test works on a queue of its own, so tests of the same broker never see each other's batches.</summary>
internal static class Queues
{
    private static int s_last;

    public static string New() => $"tests-{Environment.ProcessId}-{Interlocked.Increment(ref s_last)}";

    public static ClusterPool Connect(BrokerFixture broker, string queue, int slots = 0) =>
        ClusterPool.Connect(broker.Uri, new ClusterOptions { Queue = queue, Key = WorkerProgram.Key, Slots = slots });

    /// <summary>How many messages wait on <paramref name="queue"/>, asked of the broker directly.</summary>
    public static uint MessageCount(BrokerFixture broker, string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(broker.Uri) };
        using IConnection connection = factory.CreateConnectionAsync().GetAwaiter().GetResult();
        using IChannel channel = connection.CreateChannelAsync().GetAwaiter().GetResult();
        return channel.QueueDeclarePassiveAsync(queue).GetAwaiter().GetResult().MessageCount;
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the reporting thread, in order.</summary>
internal sealed class SynchronousProgress(Action<PoolProgress> report) : IProgress<PoolProgress>
{
    public void Report(PoolProgress value)
    {
        lock (this)
        {
            report(value);
        }
    }
}
