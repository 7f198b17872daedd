using System;
using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl.GeneratedSupport;

/// <summary>How a generated launcher starts a thread: the options of its <see cref="RunInThreadAttribute"/>.</summary>
/// <param name="MethodName">The annotated method's name, used for automatic thread names.</param>
/// <param name="Name">The fixed thread name, or <see langword="null"/> for an automatic one.</param>
/// <param name="Daemon">Whether the thread is a background thread.</param>
/// <param name="Gate">The method's concurrency gate, or <see langword="null"/> when it has no limit.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct ThreadStartOptions(string MethodName, string? Name, bool Daemon, ConcurrencyGate? Gate)
{
    /// <summary>These options with the per-call overrides of <paramref name="options"/> applied.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public ThreadStartOptions With(ThreadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return this with { Name = options.Name ?? Name, Daemon = options.Daemon ?? Daemon };
    }
}

/// <summary>
/// Starts threads for the launchers the source generator writes. Not meant to be called by hand:
/// annotate a method with <see cref="RunInThreadAttribute"/> and call its <c>Start{Method}</c> launcher.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ThreadLauncher
{
    private static int s_threadCounter;

    /// <summary>Starts <paramref name="body"/> on a new thread; an exception it throws is also written to standard error.</summary>
    public static ThreadHandle Start(Action body, ThreadStartOptions options)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Start<bool>(() =>
        {
            body();
            return true;
        }, options, reportsFailure: true);
    }

    /// <summary>Starts <paramref name="body"/> on a new thread and keeps its result.</summary>
    public static ThreadHandle<T> Start<T>(Func<T> body, ThreadStartOptions options)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Start(body, options, reportsFailure: false);
    }

    /// <summary>Starts an asynchronous <paramref name="body"/> on a new thread and awaits it there; an exception it throws is also written to standard error.</summary>
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
        }, options, reportsFailure: true);
    }

    /// <summary>Starts an asynchronous <paramref name="body"/> on a new thread, awaits it there and keeps its result.</summary>
    public static ThreadHandle<T> StartAsync<T>(Func<Task<T>> body, ThreadStartOptions options)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Start(() => SingleThreadSynchronizationContext.Run(body), options, reportsFailure: false);
    }

    /// <summary>
    /// Starts the thread. A handle without a result (<paramref name="reportsFailure"/>) has joins that do not throw,
    /// so the method's exception is written to standard error as it ends, as Python does; one with a result throws
    /// it from <c>Result</c>.
    /// </summary>
    private static ThreadHandle<T> Start<T>(Func<T> body, ThreadStartOptions options, bool reportsFailure)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        ConcurrencyGate? gate = options.Gate;
        string name = NameFor(options);
        string? reportAs = reportsFailure ? $"thread '{name}'" : null;
        var handle = new ThreadHandle<T>(name, options.Daemon, completion.Task, () => Run(body, gate, completion, reportAs));
        handle.StartThread();
        return handle;
    }

    private static string NameFor(ThreadStartOptions options) =>
        options.Name ?? $"{options.MethodName}-{Interlocked.Increment(ref s_threadCounter)}";

    private static void Run<T>(Func<T> body, ConcurrencyGate? gate, TaskCompletionSource<T> completion, string? reportAs)
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
            if (reportAs is not null)
            {
                HandleOutcome.Report(reportAs, exception);
            }

            completion.SetException(exception);
        }
    }
}
