using System.Diagnostics;
using System.Reflection;

namespace ParallelDsl.Cluster.Tests;

/// <summary>
/// A private RabbitMQ node for the whole test run, started with scripts/broker.sh (which installs rabbitmq-server
/// when it is missing) and stopped at the end: the tests need nothing else, and no mock stands in for the broker.
/// </summary>
public class BrokerFixture : IDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);

    public BrokerFixture()
        : this("pdsl-broker")
    {
    }

    /// <summary>Starts a node in a temporary folder named <paramref name="name"/>, with <paramref name="options"/> for scripts/broker.sh start.</summary>
    protected BrokerFixture(string name, params string[] options)
    {
        Folder = Path.Combine(Path.GetTempPath(), $"{name}-{Environment.ProcessId}");
        Uri = RunScript(["start", Folder, .. options]).Split('\n')[0].Trim();
    }

    /// <summary>The broker's URI, with the node's own user and password.</summary>
    public string Uri { get; }

    public string Folder { get; }

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    public static string FixtureDirectory => Metadata("ClusterFixtureDirectory");

    /// <summary>Runs scripts/broker.sh with <paramref name="arguments"/> and returns what it printed.</summary>
    public static string RunScript(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "scripts", "broker.sh"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process script = Process.Start(start)!;
        Task<string> output = script.StandardOutput.ReadToEndAsync();
        Task<string> error = script.StandardError.ReadToEndAsync();
        if (!script.WaitForExit(ScriptTimeout))
        {
            script.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/broker.sh {string.Join(' ', arguments)} did not finish within {ScriptTimeout}.");
        }

        if (script.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/broker.sh {string.Join(' ', arguments)} failed ({script.ExitCode}): {error.Result}");
        }

        return output.Result;
    }

    /// <summary>Restarts the node with its data (durable queues and their messages survive), as an operator would.</summary>
    public void Restart()
    {
        RunScript("stop", Folder);
        RunScript("restart", Folder);
    }

    public void Dispose()
    {
        RunScript("stop", Folder);
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    private static string Metadata(string key) =>
        typeof(BrokerFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value!;
}

/// <summary>
/// A private RabbitMQ node that serves <c>amqps://</c> too, with a certificate for localhost and 127.0.0.1 signed by a
/// CA that scripts/broker.sh makes for it (nothing is installed in the system's trust store).
/// </summary>
public sealed class TlsBrokerFixture : BrokerFixture
{
    public TlsBrokerFixture()
        : base("pdsl-tls-broker", "127.0.0.1", string.Empty, "--tls")
    {
        TlsUri = new Uri(File.ReadAllText(Path.Combine(Folder, "uri_tls")).Trim());
        CaFile = Path.Combine(Folder, "ca.pem");
    }

    /// <summary>The broker's <c>amqps://</c> URI, for 127.0.0.1.</summary>
    public Uri TlsUri { get; }

    /// <summary>The PEM file of the CA that signed the broker's certificate.</summary>
    public string CaFile { get; }

    /// <summary>The TLS URI with another host and port, same user and password.</summary>
    public string TlsUriAt(string host, int port) => new UriBuilder(TlsUri) { Host = host, Port = port }.Uri.ToString();
}

[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<BrokerFixture>
{
    public const string Name = "broker";
}
