using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// Runs an asynchronous method to completion on the calling thread: every continuation is posted back to it,
/// so an <c>async</c> <see cref="RunInThreadAttribute"/> method stays on its own thread from start to end.
/// </summary>
internal sealed class SingleThreadSynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _work = new();
    private bool _completed;

    public static T Run<T>(Func<Task<T>> body)
    {
        SynchronizationContext? previous = Current;
        var context = new SingleThreadSynchronizationContext();
        SetSynchronizationContext(context);
        try
        {
            Task<T> task = body();
            task.ContinueWith(static (_, state) => ((SingleThreadSynchronizationContext)state!).Complete(),
                context, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            while (context.TryTake(out SendOrPostCallback? callback, out object? state))
            {
                callback(state);
            }

            return task.GetAwaiter().GetResult();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        lock (_work)
        {
            if (!_completed)
            {
                _work.Enqueue((d, state));
                Monitor.Pulse(_work);
                return;
            }
        }

        // The method has completed; a late continuation (fire-and-forget work inside it) runs on the pool.
        ThreadPool.QueueUserWorkItem(static s => s.d(s.state), (d, state), preferLocal: false);
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send is not supported on a ParallelDsl thread.");

    public override SynchronizationContext CreateCopy() => this;

    private void Complete()
    {
        lock (_work)
        {
            _completed = true;
            Monitor.Pulse(_work);
        }
    }

    private bool TryTake([NotNullWhen(true)] out SendOrPostCallback? callback, out object? state)
    {
        lock (_work)
        {
            while (_work.Count == 0 && !_completed)
            {
                Monitor.Wait(_work);
            }

            if (_work.Count > 0)
            {
                (callback, state) = _work.Dequeue();
                return true;
            }

            callback = null;
            state = null;
            return false;
        }
    }
}
