using System;
using System.Collections.Generic;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl;

/// <summary>
/// What one worker's exit function returned when its pool shut down (mpire's <c>worker_exit</c>), from
/// <see cref="ProcessPoolBase.Shutdown{TExit}(Func{int, TExit})"/>: one per worker slot, in slot order.
/// </summary>
/// <typeparam name="TExit">What the exit function returns.</typeparam>
public sealed class WorkerExit<TExit>
{
    private readonly TExit _value;

    internal WorkerExit(int slot, string? workerName, int? processId, TExit value, Exception? error)
    {
        Slot = slot;
        WorkerName = workerName;
        ProcessId = processId;
        _value = value;
        Error = error;
    }

    /// <summary>The worker's slot, 0 to the pool's worker count - 1 (the number the exit function received).</summary>
    public int Slot { get; }

    /// <summary>The name of the worker that ran the exit function, or <see langword="null"/> when the slot had none.</summary>
    public string? WorkerName { get; }

    /// <summary>The worker's process id, when it is a process.</summary>
    public int? ProcessId { get; }

    /// <summary>Whether the exit function returned: <see cref="Value"/> holds what it returned.</summary>
    public bool Succeeded => Error is null;

    /// <summary>
    /// Why there is no value: a <see cref="RemoteException"/> when the exit function threw, a
    /// <see cref="WorkerCrashedException"/> when the worker died under it, an <see cref="InvalidOperationException"/>
    /// when the slot had no worker left (the pool broke), an <see cref="OperationCanceledException"/> when the pool
    /// was terminated first; <see langword="null"/> on success.
    /// </summary>
    public Exception? Error { get; }

    /// <summary>What the exit function returned.</summary>
    /// <exception cref="InvalidOperationException">The exit function did not return (see <see cref="Error"/>, its inner exception).</exception>
    public TExit Value => Error is null
        ? _value
        : throw new InvalidOperationException($"Worker slot {Slot}{(WorkerName is null ? "" : $" ('{WorkerName}')")} has no exit value: {Error.Message}", Error);

    /// <inheritdoc/>
    public override string ToString() => Error is null ? $"slot {Slot} ({WorkerName}): {_value}" : $"slot {Slot} ({WorkerName ?? "no worker"}): {Error.GetType().Name}: {Error.Message}";
}

/// <summary>Gathers the <see cref="WorkerExit{TExit}"/> of every slot of a pool that shuts down with an exit function.</summary>
internal sealed class WorkerExits<TExit>(ProcessFunction<int, TExit> function, int slots) : IPoolWorkerExit
{
    private readonly WorkerExit<TExit>?[] _exits = new WorkerExit<TExit>?[slots];

    public PoolJob CreateJob(int slot) => new ProcessMapJob<int, TExit>([slot], function, progress: null);

    public void Report(int slot, string workerName, int? processId, PoolJob job, Exception? failure)
    {
        TExit value = failure is null ? ((PoolJob<TExit>)job).Results[0] : default!;
        _exits[slot] = new WorkerExit<TExit>(slot, workerName, processId, value, failure);
    }

    /// <summary>Every slot's exit, once the pool has stopped; a slot that had no worker says so.</summary>
    public IReadOnlyList<WorkerExit<TExit>> Results()
    {
        var results = new WorkerExit<TExit>[_exits.Length];
        for (int slot = 0; slot < results.Length; slot++)
        {
            results[slot] = _exits[slot] ?? new WorkerExit<TExit>(slot, null, null, default!, new InvalidOperationException(
                $"Worker slot {slot} had no worker when the pool shut down (the pool broke or was terminated), so no exit function ran there."));
        }

        return results;
    }
}
