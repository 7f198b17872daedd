using System;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;

namespace ParallelDsl.Cluster.Broker;

/// <summary>Opens connections to the broker the same way for clients and workers: credentials, vhost and TLS from the URI, recovery on.</summary>
internal static class BrokerConnection
{
    /// <summary>How often a lost connection is tried again.</summary>
    private static readonly TimeSpan RecoveryInterval = TimeSpan.FromMilliseconds(500);

    /// <exception cref="ArgumentException">The URI is not an <c>amqp://</c> or <c>amqps://</c> address.</exception>
    public static async Task<IConnection> OpenAsync(Uri uri, string clientName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Scheme is not ("amqp" or "amqps"))
        {
            throw new ArgumentException($"The broker address '{Redact(uri)}' must start with amqp:// or amqps://.", nameof(uri));
        }

        var factory = new ConnectionFactory
        {
            Uri = uri,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = RecoveryInterval,
            ClientProvidedName = clientName,
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
        };
        return await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The URI without its password, for messages.</summary>
    public static string Redact(Uri uri) =>
        string.IsNullOrEmpty(uri.UserInfo) ? uri.ToString() : uri.ToString().Replace(uri.UserInfo, uri.UserInfo.Split(':')[0] + ":***", StringComparison.Ordinal);
}
