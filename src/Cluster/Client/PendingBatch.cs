using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using ParallelDsl.Cluster.Wire;

namespace ParallelDsl.Cluster.Client;

/// <summary>A published batch waiting for its answer, with the deaths of local worker processes that held it on the way.</summary>
internal sealed class PendingBatch(long batchId, ReadOnlyMemory<byte> body)
{
    private readonly TaskCompletionSource<ClusterMessage> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _deaths = [];

    public long BatchId { get; } = batchId;

    /// <summary>The signed message, kept to publish again after a broker restart.</summary>
    public ReadOnlyMemory<byte> Body { get; } = body;

    public Task<ClusterMessage> Answer => _answer.Task;

    /// <summary>The deaths seen so far: which host and process died while running the batch, and how.</summary>
    public IReadOnlyList<string> Deaths
    {
        get
        {
            lock (_deaths)
            {
                return [.. _deaths];
            }
        }
    }

    public void AddDeath(ClusterMessage death)
    {
        lock (_deaths)
        {
            _deaths.Add($"{death.Host} (pid {death.Pid}): {death.Text}");
        }
    }

    public void Complete(ClusterMessage answer) => _answer.TrySetResult(answer);

    public void Abandon(Exception reason) => _answer.TrySetException(reason);
}
