using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using ParallelDsl.Cluster.Wire;

namespace ParallelDsl.Cluster.Client;

/// <summary>A published batch waiting for its answer, with the deaths of local worker processes that held it on the way.</summary>
/// <param name="batchId">The client's number for the batch; its answer names it.</param>
/// <param name="body">The signed message.</param>
/// <param name="expiresAtUnixMs">When the batch's tasks stop being valid (<see cref="ClusterOptions.TaskExpiry"/> after the publish).</param>
/// <param name="methodName">The method the batch's tasks run, for messages.</param>
/// <param name="firstIndex">The input index of the batch's first task.</param>
/// <param name="count">How many tasks the batch holds.</param>
internal sealed class PendingBatch(long batchId, ReadOnlyMemory<byte> body, long expiresAtUnixMs, string methodName, int firstIndex, int count)
{
    private readonly TaskCompletionSource<ClusterMessage> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _deaths = [];

    public long BatchId { get; } = batchId;

    /// <summary>The signed message, kept to publish again after a broker restart.</summary>
    public ReadOnlyMemory<byte> Body { get; } = body;

    public Task<ClusterMessage> Answer => _answer.Task;

    /// <summary>When no worker may start the batch any more, in Unix milliseconds.</summary>
    public long ExpiresAtUnixMs { get; } = expiresAtUnixMs;

    /// <summary>The batch's tasks as a message names them: "the batch of 2 tasks of M at input indexes 0 to 1" (made when a message needs it).</summary>
    public string Description => count == 1
        ? $"the task of {methodName} at input index {firstIndex}"
        : $"the batch of {count} tasks of {methodName} at input indexes {firstIndex} to {firstIndex + count - 1}";

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
