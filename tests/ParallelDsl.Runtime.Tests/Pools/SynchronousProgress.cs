using ParallelDsl;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread, so a test sees every report before the call returns.</summary>
internal sealed class SynchronousProgress(Action<PoolProgress> report) : IProgress<PoolProgress>
{
    public void Report(PoolProgress value) => report(value);
}
