using System;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ParallelDsl.Cluster.Broker;

namespace ParallelDsl.Cluster;

/// <summary>
/// How a <see cref="ClusterPool"/> and the worker programs it feeds meet on the broker: the task queue, the cluster
/// key that signs every message, and the limits of batches, deliveries and messages. Client and workers must agree
/// on <see cref="Queue"/>, <see cref="Key"/>, <see cref="DeliveryLimit"/> and <see cref="MaxMessageBytes"/>.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>The environment variable a worker program (or a client without <see cref="Key"/>) reads the cluster key from.</summary>
    public const string KeyVariable = "PARALLELDSL_CLUSTER_KEY";

    /// <summary>
    /// The environment variable naming a PEM file of CA certificates to trust for <c>amqps://</c> when
    /// <see cref="TrustedRoots"/> is <see langword="null"/> (a worker program's <c>--tls-ca FILE</c> overrides it).
    /// </summary>
    public const string TlsCaVariable = "PARALLELDSL_CLUSTER_TLS_CA";

    /// <summary>The name of the task queue (a durable quorum queue, declared by whoever comes first). Default <c>paralleldsl</c>.</summary>
    public string Queue { get; init; } = "paralleldsl";

    /// <summary>
    /// The cluster key: any secret text of at least 16 characters shared by the client and its workers, which signs every
    /// task and result (HMAC-SHA256). When <see langword="null"/>, the <see cref="KeyVariable"/> environment variable.
    /// </summary>
    public string? Key { get; init; }

    /// <summary>
    /// How many batches of tasks the pool keeps on the broker at once (its engine's worker slots); 0 for 8. More slots
    /// keep more remote worker processes busy; each slot keeps two batches in flight.
    /// </summary>
    public int Slots { get; init; }

    /// <summary>The most tasks one message carries; 0 for 4,096. Tiny tasks travel in batches, as on a local pool.</summary>
    public int MaxBatchTasks { get; init; }

    /// <summary>The largest message, in bytes, sent or accepted (checked before decoding); default 16 MiB.</summary>
    public int MaxMessageBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// How many times a task batch is delivered before it is given up as poison (it keeps killing the workers that take
    /// it); its tasks then fail with <see cref="PoisonTaskException"/>. Default 3.
    /// </summary>
    public int DeliveryLimit { get; init; } = 3;

    /// <summary>The most publishes awaiting the broker's confirm at once; default 64.</summary>
    public int MaxUnconfirmed { get; init; } = 64;

    /// <summary>
    /// How long the tasks of a client stay valid on the queue: a worker skips a batch older than this (a client that
    /// died does not leave work running for long), and the client gives up a batch still unanswered then: its tasks fail
    /// with a <see cref="TimeoutException"/> naming the queue, so a pool whose queue no worker program serves never waits
    /// for ever, its <c>Dispose</c> included. Default 1 hour.
    /// </summary>
    public TimeSpan TaskExpiry { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// For an <c>amqps://</c> broker: the CA certificates the broker's certificate must chain to, instead of the system's
    /// trusted roots, so a private CA is trusted by this pool without being installed on the machine. When
    /// <see langword="null"/>, the PEM file named by <see cref="TlsCaVariable"/>, and without it the system's roots. The
    /// broker's certificate must also be made out to the URI's host either way. Not used for <c>amqp://</c>.
    /// </summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }

    internal int EffectiveSlots => Slots == 0 ? 8 : Slots;

    internal int EffectiveMaxBatchTasks => MaxBatchTasks == 0 ? 4096 : MaxBatchTasks;

    /// <exception cref="ArgumentException">The file <see cref="TlsCaVariable"/> names cannot be read.</exception>
    internal X509Certificate2Collection? EffectiveTrustedRoots() =>
        TrustedRoots ?? (Environment.GetEnvironmentVariable(TlsCaVariable) is { Length: > 0 } file ? BrokerTls.LoadRoots(file, TlsCaVariable) : null);

    /// <summary>Checks the values and returns the key's bytes.</summary>
    internal byte[] Validate()
    {
        if (string.IsNullOrWhiteSpace(Queue) || Queue.Length > 200)
        {
            throw new ArgumentException($"ClusterOptions.Queue '{Queue}' must be a name of 1 to 200 characters.", nameof(Queue));
        }

        ThrowIfNegative(Slots, nameof(Slots));
        ThrowIfNegative(MaxBatchTasks, nameof(MaxBatchTasks));
        if (MaxMessageBytes < 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMessageBytes), MaxMessageBytes, "ClusterOptions.MaxMessageBytes must be at least 4096.");
        }

        if (DeliveryLimit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(DeliveryLimit), DeliveryLimit, "ClusterOptions.DeliveryLimit must be at least 1.");
        }

        if (MaxUnconfirmed < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxUnconfirmed), MaxUnconfirmed, "ClusterOptions.MaxUnconfirmed must be at least 1.");
        }

        if (TaskExpiry <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TaskExpiry), TaskExpiry, "ClusterOptions.TaskExpiry must be positive.");
        }

        string key = Key ?? Environment.GetEnvironmentVariable(KeyVariable)
            ?? throw new ArgumentException($"No cluster key: set ClusterOptions.Key or the {KeyVariable} environment variable to the secret the client and its workers share.", nameof(Key));
        if (key.Length < 16)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The cluster key has {key.Length} characters; it needs at least 16."), nameof(Key));
        }

        return Encoding.UTF8.GetBytes(key);
    }

    private static void ThrowIfNegative(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"ClusterOptions.{name} must not be negative.");
        }
    }
}
