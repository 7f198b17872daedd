using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;

namespace ParallelDsl.Cluster.Broker;

/// <summary>
/// The broker objects of one cluster queue, declared the same way by clients and workers (whoever comes first):
/// a durable quorum task queue with a delivery limit whose dead letters go to <c>{queue}.dead</c>, and a fanout
/// exchange <c>{queue}.control</c> on which clients announce cancelled jobs to every worker.
/// </summary>
internal static class ClusterTopology
{
    public static string DeadLetterQueue(string queue) => queue + ".dead";

    public static string ControlExchange(string queue) => queue + ".control";

    /// <summary>
    /// The quorum queue's own limit is one more than ours: a worker that sees a batch for the last allowed time answers
    /// it as poison itself (with the deaths it knows), so the broker's limit only catches a batch whose every taker
    /// died without a word.
    /// </summary>
    public static async Task DeclareAsync(IChannel channel, ClusterOptions options, CancellationToken cancellationToken)
    {
        string dead = DeadLetterQueue(options.Queue);
        await channel.QueueDeclareAsync(dead, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken).ConfigureAwait(false);
        var arguments = new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
            ["x-delivery-limit"] = options.DeliveryLimit + 1,
            ["x-dead-letter-exchange"] = string.Empty,
            ["x-dead-letter-routing-key"] = dead,
        };
        await channel.QueueDeclareAsync(options.Queue, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeclareAsync(ControlExchange(options.Queue), ExchangeType.Fanout, durable: true, autoDelete: false, arguments: null, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
