using System;
using System.Globalization;
using ParallelDsl.Cluster.Broker;

namespace ParallelDsl.Cluster.Worker;

/// <summary>
/// What a cluster worker program was asked to do, from its command line and environment:
/// <c>--paralleldsl-worker URI</c> (or <see cref="UriVariable"/>), <c>--concurrency N</c> (or
/// <see cref="ConcurrencyVariable"/>; default the processor count), <c>--queue NAME</c> (or <see cref="QueueVariable"/>),
/// <c>--tls-ca FILE</c> (or <see cref="ClusterOptions.TlsCaVariable"/>) for the CA certificates an <c>amqps://</c>
/// broker's certificate must chain to, and the cluster key from <see cref="ClusterOptions.KeyVariable"/>.
/// </summary>
internal sealed record ClusterWorkerSettings(Uri Broker, int Concurrency, ClusterOptions Options)
{
    public const string Switch = "--paralleldsl-worker";
    public const string TlsCaSwitch = "--tls-ca";
    public const string UriVariable = "PARALLELDSL_CLUSTER_WORKER";
    public const string ConcurrencyVariable = "PARALLELDSL_CLUSTER_CONCURRENCY";
    public const string QueueVariable = "PARALLELDSL_CLUSTER_QUEUE";
    public const string DeliveryLimitVariable = "PARALLELDSL_CLUSTER_DELIVERY_LIMIT";

    /// <summary>The settings when the program is asked to be a cluster worker; <see langword="null"/> when it is not.</summary>
    /// <exception cref="ArgumentException">It is asked, but a value is missing or malformed (the message says which).</exception>
    public static ClusterWorkerSettings? From(string[] args)
    {
        string? uri = Value(args, Switch) ?? Environment.GetEnvironmentVariable(UriVariable);
        if (string.IsNullOrEmpty(uri))
        {
            return null;
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out Uri? broker))
        {
            throw new ArgumentException($"{Switch} needs the broker's URI (amqp://user:password@host:5672/vhost); '{uri}' is not one.");
        }

        int concurrency = Number(args, "--concurrency", ConcurrencyVariable, Environment.ProcessorCount);
        string? caFile = Value(args, TlsCaSwitch) ?? Environment.GetEnvironmentVariable(ClusterOptions.TlsCaVariable);
        var options = new ClusterOptions
        {
            Queue = Value(args, "--queue") ?? Environment.GetEnvironmentVariable(QueueVariable) ?? new ClusterOptions().Queue,
            DeliveryLimit = Number(args, "--delivery-limit", DeliveryLimitVariable, new ClusterOptions().DeliveryLimit),
            TrustedRoots = string.IsNullOrEmpty(caFile) ? null : BrokerTls.LoadRoots(caFile, $"{TlsCaSwitch} (or {ClusterOptions.TlsCaVariable})"),
        };
        options.Validate();
        return new ClusterWorkerSettings(broker, concurrency, options);
    }

    private static int Number(string[] args, string name, string variable, int fallback)
    {
        string? text = Value(args, name) ?? Environment.GetEnvironmentVariable(variable);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
        {
            throw new ArgumentException($"{name} (or {variable}) needs a whole number of at least 1; '{text}' is not one.");
        }

        return value;
    }

    private static string? Value(string[] args, string name)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == name)
            {
                return i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value after it.");
            }

            if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                return args[i][(name.Length + 1)..];
            }
        }

        return null;
    }
}
