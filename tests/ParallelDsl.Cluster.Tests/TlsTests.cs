using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ParallelDsl.Tests.Fixtures;

namespace ParallelDsl.Cluster.Tests;

/// <summary>
/// <c>amqps://</c> against a broker whose certificate comes from a private CA made for the test run: trusted through
/// the options and the worker's <c>--tls-ca</c> it carries a map; untrusted, or reached by a name the certificate does
/// not hold, it is refused at connect with the host and the reason.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class TlsTests(TlsBrokerFixture broker) : IClassFixture<TlsBrokerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Far below any timeout of the client library: a refused certificate fails the connect at once.</summary>
    private static readonly TimeSpan RefusalBound = TimeSpan.FromSeconds(15);

    [Fact]
    public void A_map_over_amqps_runs_on_worker_programs_that_trust_the_private_CA_by_switch_and_by_variable()
    {
        string queue = Queues.New();
        string uri = broker.TlsUri.ToString();
        using var bySwitch = WorkerProgram.Start(uri, queue, arguments: ["--tls-ca", broker.CaFile]);
        using var byVariable = WorkerProgram.Start(
            broker.TlsUriAt("localhost", broker.TlsUri.Port), queue, environment: new Dictionary<string, string> { [ClusterOptions.TlsCaVariable] = broker.CaFile });
        using ClusterPool pool = Connect(uri, queue, TrustedRoots());

        int[] inputs = [.. Enumerable.Range(0, 2000)];
        Assert.Equal(inputs.Select(x => x * 2), pool.Map(ClusterTasks.Double, inputs, timeout: Patience));
        PoolTask<int> single = pool.Submit(ClusterTasks.Double, 21);
        Assert.True(single.Wait(Patience));
        Assert.Equal(42, single.Result);
    }

    [Fact]
    public void A_client_or_worker_that_does_not_trust_the_CA_is_refused_at_connect_naming_the_host_and_the_chain_problem()
    {
        string queue = Queues.New();
        var clock = Stopwatch.StartNew();
        var refused = Assert.Throws<AuthenticationException>(() => Connect(broker.TlsUri.ToString(), queue, trustedRoots: null));
        Assert.True(clock.Elapsed < RefusalBound, $"the refusal took {clock.Elapsed}");
        Assert.Contains($"the broker at 127.0.0.1:{broker.TlsUri.Port}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("does not validate", refused.Message, StringComparison.Ordinal);
        Assert.Contains("UntrustedRoot", refused.Message, StringComparison.Ordinal);
        Assert.Contains(ClusterOptions.TlsCaVariable, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(broker.TlsUri.UserInfo.Split(':')[1], refused.Message, StringComparison.Ordinal);

        using var worker = WorkerProgram.Start(broker.TlsUri.ToString(), queue, serving: false);
        Assert.True(worker.WaitForExit(RefusalBound + TimeSpan.FromSeconds(15)), "the worker program did not give up");
        Assert.Equal(3, worker.ExitCode);
        Assert.Contains($"the broker at 127.0.0.1:{broker.TlsUri.Port}", worker.Output, StringComparison.Ordinal);
        Assert.Contains("UntrustedRoot", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("serves queue", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_that_reaches_the_broker_by_an_address_its_certificate_does_not_hold_is_refused()
    {
        // Another loopback address in front of the broker, as a load balancer or a DNS alias would be: same broker, same
        // trusted certificate, but the name the client asked for is not in it.
        using var alias = new TcpForwarder(IPAddress.Parse("127.0.0.2"), new IPEndPoint(IPAddress.Loopback, broker.TlsUri.Port));
        var clock = Stopwatch.StartNew();
        var refused = Assert.Throws<AuthenticationException>(() => Connect(broker.TlsUriAt("127.0.0.2", alias.Port), Queues.New(), TrustedRoots()));
        Assert.True(clock.Elapsed < RefusalBound, $"the refusal took {clock.Elapsed}");
        Assert.Contains($"the broker at 127.0.0.2:{alias.Port}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("made out to 'localhost', '127.0.0.1', not to '127.0.0.2'", refused.Message, StringComparison.Ordinal);
        Assert.True(alias.Connections > 0, "the client never reached the broker through the alias");
    }

    private X509Certificate2Collection TrustedRoots()
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(broker.CaFile);
        return roots;
    }

    private static ClusterPool Connect(string uri, string queue, X509Certificate2Collection? trustedRoots) =>
        ClusterPool.Connect(uri, new ClusterOptions { Queue = queue, Key = WorkerProgram.Key, TaskExpiry = Queues.TaskExpiry, TrustedRoots = trustedRoots });
}

/// <summary>Forwards every TCP connection made to a port of <c>address</c> to <c>target</c>, byte for byte, until disposed.</summary>
internal sealed class TcpForwarder : IDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private int _connections;

    public TcpForwarder(IPAddress address, IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(address, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_open)
        {
            _open.ForEach(client => client.Dispose());
        }

        _ = _accepting.Wait(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                TcpClient incoming = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                var outgoing = new TcpClient();
                lock (_open)
                {
                    _open.Add(incoming);
                    _open.Add(outgoing);
                }

                await outgoing.ConnectAsync(_target, _stop.Token);
                _ = PumpAsync(incoming, outgoing);
                _ = PumpAsync(outgoing, incoming);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Disposed.
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), _stop.Token);
            to.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // One side closed; the other follows.
        }
    }
}
