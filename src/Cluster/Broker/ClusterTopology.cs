using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;

namespace ParallelDsl.Cluster.Broker;

/// <summary>
/// The broker objects of one cluster queue, declared the same way by clients and workers (whoever comes first):
/// a durable quorum task queue with a delivery limit whose dead letters go to the headers exchange
/// <c>{queue}.dead-letters</c>, which copies each to <c>{queue}.dead</c> (kept for inspection) and to the reply queue
/// of the client that published it (each client binds its reply queue by its <see cref="ClientHeader"/>); and a
/// fanout exchange <c>{queue}.control</c> on which clients announce cancelled jobs to every worker.
/// </summary>
internal static class ClusterTopology
{
    public static string DeadLetterQueue(string queue) => queue + ".dead";

    public static string ControlExchange(string queue) => queue + ".control";

    public static string DeadLetterExchange(string queue) => queue + ".dead-letters";

    /// <summary>The header naming the client that published a task batch, by which its dead letter finds the client.</summary>
    public const string ClientHeader = "paralleldsl-client";

    /// <summary>Routes the dead letters of <paramref name="clientId"/>'s batches to <paramref name="replyQueue"/> as well.</summary>
    public static Task BindDeadLettersAsync(IChannel channel, string queue, System.Guid clientId, string replyQueue, CancellationToken cancellationToken) =>
        channel.QueueBindAsync(replyQueue, DeadLetterExchange(queue), string.Empty,
            new Dictionary<string, object?> { ["x-match"] = "all", [ClientHeader] = clientId.ToString("N") }, cancellationToken: cancellationToken);

    /// <summary>
    /// The quorum queue's own limit is one more than ours: a worker that sees a batch for the last allowed time answers
    /// it as poison itself (with the deaths it knows), so the broker's limit only catches a batch whose every taker
    /// died without a word.
    /// </summary>
    public static async Task DeclareAsync(IChannel channel, ClusterOptions options, CancellationToken cancellationToken)
    {
        string dead = DeadLetterQueue(options.Queue);
        string deadLetters = DeadLetterExchange(options.Queue);
        await channel.ExchangeDeclareAsync(deadLetters, ExchangeType.Headers, durable: true, autoDelete: false, arguments: null, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueDeclareAsync(dead, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken).ConfigureAwait(false);

        // No header to match: every dead letter is kept.
        await channel.QueueBindAsync(dead, deadLetters, string.Empty, new Dictionary<string, object?> { ["x-match"] = "all" }, cancellationToken: cancellationToken).ConfigureAwait(false);
        var arguments = new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
            ["x-delivery-limit"] = options.DeliveryLimit + 1,
            ["x-dead-letter-exchange"] = deadLetters,
        };
        await channel.QueueDeclareAsync(options.Queue, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeclareAsync(ControlExchange(options.Queue), ExchangeType.Fanout, durable: true, autoDelete: false, arguments: null, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
