using System;
using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>How a generated launcher starts a thread: the options of its <see cref="RunInThreadAttribute"/>.</summary>
/// <param name="MethodName">The annotated method's name, used for automatic thread names.</param>
/// <param name="Name">The fixed thread name, or <see langword="null"/> for an automatic one.</param>
/// <param name="Daemon">Whether the thread is a background thread.</param>
/// <param name="Gate">The method's concurrency gate, or <see langword="null"/> when it has no limit.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct ThreadStartOptions(string MethodName, string? Name, bool Daemon, ConcurrencyGate? Gate);

/// <summary>
/// Starts threads for the launchers the source generator writes. Not meant to be called by hand:
/// annotate a method with <see cref="RunInThreadAttribute"/> and call its <c>Start{Method}</c> launcher.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ThreadLauncher
{
    private static int s_threadCounter;

    /// <summary>Starts <paramref name="body"/> on a new thread.</summary>
    public static ThreadHandle Start(Action body, ThreadStartOptions options)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Start<bool>(() =>
        {
            body();
            return true;
        }, options);
    }

    /// <summary>Starts <paramref name="body"/> on a new thread and keeps its result.</summary>
    public static ThreadHandle<T> Start<T>(Func<T> body, ThreadStartOptions options)
    {
        ArgumentNullException.ThrowIfNull(body);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        ConcurrencyGate? gate = options.Gate;
        var handle = new ThreadHandle<T>(NameFor(options), options.Daemon, completion.Task, () => Run(body, gate, completion));
        handle.StartThread();
        return handle;
    }

    /// <summary>Starts an asynchronous <paramref name="body"/> on a new thread and awaits it there.</summary>
    public static ThreadHandle StartAsync(Func<Task> body, ThreadStartOptions options)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Start<bool>(() =>
        {
            SingleThreadSynchronizationContext.Run(async () =>
            {
                await body().ConfigureAwait(true);
                return true;
            });
            return true;
        }, options);
    }

    /// <summary>Starts an asynchronous <paramref name="body"/> on a new thread, awaits it there and keeps its result.</summary>
    public static ThreadHandle<T> StartAsync<T>(Func<Task<T>> body, ThreadStartOptions options)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Start(() => SingleThreadSynchronizationContext.Run(body), options);
    }

    private static string NameFor(ThreadStartOptions options) =>
        options.Name ?? $"{options.MethodName}-{Interlocked.Increment(ref s_threadCounter)}";

    private static void Run<T>(Func<T> body, ConcurrencyGate? gate, TaskCompletionSource<T> completion)
    {
        try
        {
            gate?.Enter();
            try
            {
                completion.SetResult(body());
            }
            finally
            {
                gate?.Exit();
            }
        }
#pragma warning disable CA1031 // Every exception of the method belongs to whoever joins the handle.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            completion.SetException(exception);
        }
    }
}
