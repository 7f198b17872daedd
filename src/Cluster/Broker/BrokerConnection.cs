using System;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace ParallelDsl.Cluster.Broker;

/// <summary>Opens connections to the broker the same way for clients and workers: credentials, vhost and TLS from the URI, recovery on.</summary>
internal static class BrokerConnection
{
    /// <summary>How often a lost connection is tried again.</summary>
    private static readonly TimeSpan RecoveryInterval = TimeSpan.FromMilliseconds(500);

    /// <exception cref="ArgumentException">The URI is not an <c>amqp://</c> or <c>amqps://</c> address, or the trusted roots cannot be read.</exception>
    /// <exception cref="AuthenticationException">The TLS handshake failed; the message names the host and why.</exception>
    public static async Task<IConnection> OpenAsync(Uri uri, ClusterOptions options, string clientName, CancellationToken cancellationToken)
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
        BrokerTls? tls = BrokerTls.Apply(factory, options.EffectiveTrustedRoots());
        try
        {
            return await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BrokerUnreachableException unreachable) when (tls is not null && tls.Explain(unreachable, factory.Port) is { } explained)
        {
            throw explained;
        }
    }

    /// <summary>The URI without its password, for messages.</summary>
    public static string Redact(Uri uri) =>
        string.IsNullOrEmpty(uri.UserInfo) ? uri.ToString() : uri.ToString().Replace(uri.UserInfo, uri.UserInfo.Split(':')[0] + ":***", StringComparison.Ordinal);
}
