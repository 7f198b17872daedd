using RabbitMQ.Client;

namespace ParallelDsl.Cluster.Tests;

/// <summary>Each test works on a queue of its own, so tests of the same broker never see each other's batches.</summary>
internal static class Queues
{
    private static int s_last;

    public static string New() => $"tests-{Environment.ProcessId}-{Interlocked.Increment(ref s_last)}";

    /// <summary>
    /// How long a test's tasks stay valid: longer than any test waits for one, and short enough that a test failing with
    /// tasks outstanding ends (its pool's Dispose waits for them) instead of holding the run until its deadline.
    /// </summary>
    public static readonly TimeSpan TaskExpiry = TimeSpan.FromMinutes(3);

    public static ClusterPool Connect(BrokerFixture broker, string queue, int slots = 0) =>
        ClusterPool.Connect(broker.Uri, new ClusterOptions { Queue = queue, Key = WorkerProgram.Key, Slots = slots, TaskExpiry = TaskExpiry });

    /// <summary>How many messages wait on <paramref name="queue"/>, asked of the broker directly.</summary>
    public static uint MessageCount(BrokerFixture broker, string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(broker.Uri) };
        using IConnection connection = factory.CreateConnectionAsync().GetAwaiter().GetResult();
        using IChannel channel = connection.CreateChannelAsync().GetAwaiter().GetResult();
        return channel.QueueDeclarePassiveAsync(queue).GetAwaiter().GetResult().MessageCount;
    }

    /// <summary>
    /// Takes the one message of <paramref name="queue"/> and closes the channel without a word, as a worker program lost
    /// with its batch does, until the broker no longer delivers it; returns how many times it was taken.
    /// </summary>
    public static int TakeAndVanish(BrokerFixture broker, string queue, TimeSpan patience)
    {
        var factory = new ConnectionFactory { Uri = new Uri(broker.Uri) };
        using IConnection connection = factory.CreateConnectionAsync().GetAwaiter().GetResult();
        DateTime until = DateTime.UtcNow + patience;
        int takes = 0;
        while (DateTime.UtcNow < until)
        {
            using IChannel channel = connection.CreateChannelAsync().GetAwaiter().GetResult();
            if (channel.BasicGetAsync(queue, autoAck: false).GetAwaiter().GetResult() is not null)
            {
                takes++;
            }
            else if (takes > 0)
            {
                return takes;
            }

            channel.CloseAsync().GetAwaiter().GetResult();
            Thread.Sleep(100);
        }

        throw new TimeoutException($"The message of '{queue}' was still delivered after {takes} takes.");
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
