namespace ParallelDsl;

public abstract partial class ProcessPoolBase : IPoolInsightsSource
{
    /// <summary>
    /// What the pool's workers have done since it started, per worker and in total: time starting, waiting, running,
    /// encoding and decoding; tasks done, failed and retried; workers lost and replaced; the task each one runs now
    /// and its resident memory. Print it for a table (<see cref="PoolInsights.ToString"/>).
    /// </summary>
    /// <remarks>A snapshot: each read builds a new one. The counters are kept whether or not it is read, at no lock or allocation per task.</remarks>
    public PoolInsights Insights => Engine.Snapshot(Name, withMemory: true);

    /// <summary>
    /// Serves a live dashboard of this pool on 127.0.0.1 (<see cref="PoolDashboard"/>); open its
    /// <see cref="PoolDashboard.Url"/>, which carries a random token. Dispose it to stop serving.
    /// </summary>
    /// <param name="port">The TCP port; 0 for any free one.</param>
    /// <exception cref="System.Net.Sockets.SocketException">The port cannot be listened on.</exception>
    public PoolDashboard ServeDashboard(int port = 0) => PoolDashboard.Serve(this, port);
}
