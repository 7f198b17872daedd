using System.Diagnostics;
using System.Reflection;

namespace ParallelDsl.Cluster.Tests;

/// <summary>
/// A private RabbitMQ node for the whole test run, started with scripts/broker.sh (which installs rabbitmq-server
/// when it is missing) and stopped at the end: the tests need nothing else, and no mock stands in for the broker.
/// </summary>
public sealed class BrokerFixture : IDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);

    public BrokerFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"pdsl-broker-{Environment.ProcessId}");
        Uri = RunScript("start", Folder).Trim();
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
    }

    private static string Metadata(string key) =>
        typeof(BrokerFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value!;
}

[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<BrokerFixture>
{
    public const string Name = "broker";
}
