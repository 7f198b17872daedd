using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// A live web page of one pool's insights (Flower, Dask's and Ray's dashboards in spirit): tasks per second, done,
/// failed and retried, each worker's state (idle, or running which task for how long; pid; resident memory), the
/// recent failures with their stack traces from the worker, and a chart of throughput over time. It serves one page
/// and one JSON document, on 127.0.0.1 by default, under a random token (<see cref="Url"/>): the page shows task data,
/// so a request without the token gets 403. Built on <see cref="TcpListener"/>: no web framework. Dispose it to stop.
/// </summary>
/// <remarks>
/// The page polls <c>insights.json</c> twice a second. The server keeps one throughput sample per second for the last
/// ten minutes. It reads the pool only through <see cref="IPoolInsightsSource"/>, so any such pool can be shown.
/// </remarks>
public sealed class PoolDashboard : IDisposable
{
    private const int HistoryLength = 600;
    private const int MaxRequestBytes = 8192;

    private readonly IPoolInsightsSource _pool;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Timer _sampler;
    private readonly Queue<(double Seconds, long Ended)> _history = new();
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private readonly Task _serving;
    private int _disposed;

    private PoolDashboard(IPoolInsightsSource pool, IPAddress address, int port)
    {
        _pool = pool;
        Token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _listener = new TcpListener(address, port);
        _listener.Start();
        var endpoint = (IPEndPoint)_listener.LocalEndpoint;
        Url = new Uri($"http://{(endpoint.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString())}:{endpoint.Port}/{Token}/");
        Sample();
        _sampler = new Timer(_ => Sample(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The page's address, token included: open it in a browser.</summary>
    public Uri Url { get; }

    /// <summary>The random token every request must carry as the first segment of its path.</summary>
    public string Token { get; }

    /// <summary>Serves the dashboard of <paramref name="pool"/>.</summary>
    /// <param name="pool">The pool to show.</param>
    /// <param name="port">The TCP port; 0 for any free one (see <see cref="Url"/>).</param>
    /// <param name="address">Where to listen; <see cref="IPAddress.Loopback"/> (this machine only) by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pool"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not a TCP port.</exception>
    /// <exception cref="SocketException">The port cannot be listened on (in use, say).</exception>
    public static PoolDashboard Serve(IPoolInsightsSource pool, int port = 0, IPAddress? address = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        return new PoolDashboard(pool, address ?? IPAddress.Loopback, port);
    }

    /// <summary>Stops the server: the port is closed and no request is answered any more. The pool goes on.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _sampler.Dispose();
        _listener.Stop();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends with the listener; how it ended changes nothing for the caller.
        }

        _stopping.Dispose();
    }

    private void Sample()
    {
        PoolInsights insights = _pool.Insights;
        lock (_history)
        {
            if (_history.Count == HistoryLength)
            {
                _history.Dequeue();
            }

            _history.Enqueue((Stopwatch.GetElapsedTime(_startedAt).TotalSeconds, insights.TasksDone + insights.TasksFailed));
        }
    }

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            _ = AnswerAsync(client);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                NetworkStream stream = client.GetStream();
                string? target = await ReadTargetAsync(stream, timeout.Token).ConfigureAwait(false);
                (int status, string type, byte[] body) = target is null ? (400, "text/plain", "bad request"u8.ToArray()) : Route(target);
                await WriteAsync(stream, status, type, body, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A client that hangs up or stalls is its own business.
            }
        }
    }

    /// <summary>The route of a request target: the page, its JSON, 403 without the token, 404 for anything else.</summary>
    private (int Status, string Type, byte[] Body) Route(string target)
    {
        string path = target.Split('?', 2)[0];
        string prefix = $"/{Token}/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal) && path != $"/{Token}")
        {
            return (403, "text/plain; charset=utf-8", "403 forbidden: the address needs the dashboard's token"u8.ToArray());
        }

        return path[Math.Min(path.Length, prefix.Length)..] switch
        {
            "" => (200, "text/html; charset=utf-8", DashboardPage.Html),
            "insights.json" => (200, "application/json", DashboardJson.Write(_pool.Insights, History())),
            _ => (404, "text/plain; charset=utf-8", "404 not found"u8.ToArray()),
        };
    }

    private (double Seconds, long Ended)[] History()
    {
        lock (_history)
        {
            return [.. _history];
        }
    }

    /// <summary>Reads the request line and headers; returns the request target of a GET, or <see langword="null"/>.</summary>
    private static async Task<string?> ReadTargetAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxRequestBytes];
        int length = 0;
        while (length < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
            {
                string head = Encoding.ASCII.GetString(buffer, 0, length);
                string[] requestLine = head[..head.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ');
                return requestLine is ["GET", { } target, _] && target.StartsWith('/') ? target : null;
            }
        }

        return null;
    }

    private static async Task WriteAsync(NetworkStream stream, int status, string type, byte[] body, CancellationToken cancellationToken)
    {
        string reason = status switch { 200 => "OK", 403 => "Forbidden", 404 => "Not Found", _ => "Bad Request" };
        byte[] head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: {type}\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\n" +
            "X-Content-Type-Options: nosniff\r\nContent-Security-Policy: default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }
}
