using System;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// Runs a blocking shared-memory wait for an async caller. A process-shared condition variable has no handle the
/// thread pool could await, so the wait gets a dedicated thread rather than blocking a pool thread; it is used only
/// when the operation cannot complete at once.
/// </summary>
internal static class BlockingCall
{
    public static ValueTask RunAsync(Action wait, CancellationToken cancellationToken) =>
        new(Task.Factory.StartNew(wait, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));

    public static ValueTask<TResult> RunAsync<TResult>(Func<TResult> wait, CancellationToken cancellationToken) =>
        new(Task.Factory.StartNew(wait, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));
}
