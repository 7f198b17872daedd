namespace ParallelDsl;

/// <summary>
/// A pool that reports <see cref="PoolInsights"/>: what <see cref="PoolDashboard"/> reads. Every <see cref="ProcessPoolBase"/> is one (local process pools, and cluster pools on the same engine).
/// </summary>
public interface IPoolInsightsSource
{
    /// <summary>The pool's name.</summary>
    string Name { get; }

    /// <summary>A snapshot of the pool's insights.</summary>
    PoolInsights Insights { get; }
}
