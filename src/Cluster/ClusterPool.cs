using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using ParallelDsl.Cluster.Broker;
using ParallelDsl.Cluster.Client;

namespace ParallelDsl.Cluster;

/// <summary>
/// A process pool whose workers are programs on any number of machines, fed through RabbitMQ: the same
/// <see cref="RunInProcessAttribute"/> methods and the same API as <see cref="ProcessPool"/> (<c>Map</c>,
/// <c>MapUnordered</c>, <c>StarMap</c>, <c>Submit</c>, progress, cancellation, timeouts), so code written for a local
/// pool runs unchanged. Each machine runs the same program as a cluster worker:
/// <c>./MyApp --paralleldsl-worker amqp://user:pass@host/vhost --concurrency 4</c>.
/// </summary>
/// <remarks>
/// Tasks travel in signed batches on a durable quorum queue; a worker acknowledges a batch only after its answer is
/// published, so a worker that dies leaves its batch to the broker, which delivers it to another worker. Execution is
/// at least once (a task may run again after a death or a broker restart: make tasks idempotent, or tolerate it);
/// delivery to the caller is exactly once, since answers are deduplicated by batch. See docs/cluster.md.
/// </remarks>
public sealed class ClusterPool : ProcessPoolBase
{
    private static int s_pools;

    private ClusterPool(string name, ClusterClient client)
        : base(name, new BrokerPoolWorkerFactory(client, name), new PoolEngineOptions { Workers = client.Options.EffectiveSlots })
    {
        Client = client;
        Engine.Stopped.ContinueWith(static (_, state) => ((ClusterClient)state!).DisposeAsync().AsTask(), client, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>The task queue the pool publishes to.</summary>
    public string Queue => Client.Options.Queue;

    internal ClusterClient Client { get; }

    /// <summary>Connects a pool to the broker at <paramref name="uri"/>.</summary>
    /// <param name="uri">The broker: <c>amqp://user:password@host:5672/vhost</c>, or <c>amqps://</c> for TLS.</param>
    /// <param name="options">
    /// The queue, the cluster key, the limits and, for <c>amqps://</c>, the trusted roots; the defaults with the key from
    /// <see cref="ClusterOptions.KeyVariable"/> when <see langword="null"/>.
    /// </param>
    /// <param name="cancellationToken">Stops the connection attempt.</param>
    /// <exception cref="ArgumentException">The URI or an option is invalid, or no cluster key is given.</exception>
    /// <exception cref="RabbitMQ.Client.Exceptions.BrokerUnreachableException">The broker cannot be reached, or refused the credentials.</exception>
    /// <exception cref="System.Security.Authentication.AuthenticationException">
    /// An <c>amqps://</c> broker's certificate was refused (it does not chain to a trusted root, see
    /// <see cref="ClusterOptions.TrustedRoots"/>, or is not made out to the URI's host), or the TLS handshake failed;
    /// the message names the host and the reason.
    /// </exception>
    public static ClusterPool Connect(string uri, ClusterOptions? options = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(uri, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>The asynchronous <see cref="Connect"/>.</summary>
    /// <param name="uri">The broker: <c>amqp://user:password@host:5672/vhost</c>, or <c>amqps://</c> for TLS.</param>
    /// <param name="options">The queue, the cluster key, the limits and, for <c>amqps://</c>, the trusted roots.</param>
    /// <param name="cancellationToken">Stops the connection attempt.</param>
    public static async Task<ClusterPool> ConnectAsync(string uri, ClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        if (!Uri.TryCreate(uri, UriKind.Absolute, out Uri? address))
        {
            throw new ArgumentException("The broker address is not a URI; expected amqp://user:password@host:5672/vhost.", nameof(uri));
        }

        string name = string.Create(CultureInfo.InvariantCulture, $"ClusterPool-{Interlocked.Increment(ref s_pools)}");
        ClusterClient client = await ClusterClient.ConnectAsync(address, options ?? new ClusterOptions(), $"{name}@{Environment.MachineName}", cancellationToken).ConfigureAwait(false);
        return new ClusterPool(name, client);
    }
}
