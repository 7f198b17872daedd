using System;
using System.ComponentModel;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ParallelDsl.Wire;

namespace ParallelDsl.GeneratedSupport;

/// <summary>How a generated launcher starts a child: the options of its <see cref="RunInProcessAttribute"/>.</summary>
/// <param name="MethodId">The method's stable id in the dispatch table.</param>
/// <param name="MethodName">The annotated method's name, used for automatic process names.</param>
/// <param name="Name">The attribute's fixed name, or <see langword="null"/> for an automatic one.</param>
/// <param name="Daemon">The attribute's <c>Daemon</c>.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct ProcessStartOptions(ulong MethodId, string MethodName, string? Name, bool Daemon);

/// <summary>
/// Starts worker processes for the launchers the source generator writes. Not meant to be called by hand:
/// annotate a method with <see cref="RunInProcessAttribute"/> and call its <c>Start{Method}</c> launcher.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class ProcessLauncher
{
    // The one task of a Start{Method} worker.
    private const ulong SingleTaskId = 1;

    private static int s_processCounter;

    /// <summary>Starts a worker that runs a method without a result.</summary>
    /// <param name="arguments">The encoded arguments; not to be changed afterwards.</param>
    /// <param name="defaults">The method's id, name and attribute options.</param>
    /// <param name="options">Per-call overrides, or <see langword="null"/>.</param>
    /// <returns>The started child's handle.</returns>
    /// <exception cref="PlatformNotSupportedException">The operating system is not Linux or macOS.</exception>
    /// <remarks>
    /// In a worker whose <c>Main</c> skipped the main guard, the launcher does not return: that worker exits with code 2.
    /// The joins of a handle without a result do not throw, so a failure of the child that this side did not ask for
    /// (with <c>Kill</c>, <c>Terminate</c> or <c>Dispose</c>) is written to standard error as it becomes known, as
    /// Python's child prints its traceback.
    /// </remarks>
    public static ProcessHandle Start(ReadOnlyMemory<byte> arguments, ProcessStartOptions defaults, ProcessOptions? options) =>
        Start(arguments, static _ => true, defaults, options, reportsFailure: true);

    /// <summary>Starts a worker that runs a method and returns its result through <paramref name="decode"/>.</summary>
    /// <param name="arguments">The encoded arguments; not to be changed afterwards.</param>
    /// <param name="decode">Decodes the result in the parent.</param>
    /// <param name="defaults">The method's id, name and attribute options.</param>
    /// <param name="options">Per-call overrides, or <see langword="null"/>.</param>
    /// <returns>The started child's handle.</returns>
    /// <remarks>In a worker whose <c>Main</c> skipped the main guard, the launcher does not return: that worker exits with code 2 (see <c>MainGuard</c>).</remarks>
    /// <exception cref="PlatformNotSupportedException">The operating system is not Linux or macOS.</exception>
    public static ProcessHandle<T> Start<T>(ReadOnlyMemory<byte> arguments, ProcessResultDecoder<T> decode,
                                            ProcessStartOptions defaults, ProcessOptions? options) =>
        Start(arguments, decode, defaults, options, reportsFailure: false);

    private static ProcessHandle<T> Start<T>(ReadOnlyMemory<byte> arguments, ProcessResultDecoder<T> decode,
                                             ProcessStartOptions defaults, ProcessOptions? options, bool reportsFailure)
    {
        ArgumentNullException.ThrowIfNull(decode);
        ThrowIfUnsupportedPlatform();
        MainGuard.ExitIfUnguardedWorker();
        ProcessMethod method = ProcessDispatch.Get(defaults.MethodId, defaults.MethodName);
        string owner = method.OwnerName;
        ThrowIfTooLarge(arguments.Length, owner, method.Name);

        string name = options?.Name ?? defaults.Name
            ?? string.Create(CultureInfo.InvariantCulture, $"{defaults.MethodName}-{Interlocked.Increment(ref s_processCounter)}");
        bool isDaemon = options?.Daemon ?? defaults.Daemon;
        WorkerProcess worker = WorkerProcess.Start(name, isDaemon);
        Task<T> outcome = SuperviseAsync(worker, method.Id, method.Name, owner, arguments, decode);
        return new ProcessHandle<T>(worker, reportsFailure ? ReportFailureAsync(worker, outcome) : outcome);
    }

    /// <summary>Passes <paramref name="outcome"/> on, first writing to standard error a failure this side did not cause by stopping the child.</summary>
    private static async Task<T> ReportFailureAsync<T>(WorkerProcess worker, Task<T> outcome)
    {
        try
        {
            return await outcome.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not ProcessTerminatedException || !worker.StopRequested)
        {
            HandleOutcome.Report(string.Create(CultureInfo.InvariantCulture, $"process '{worker.Name}' (pid {worker.Pid})"), exception);
            throw;
        }
    }

    internal static void ThrowIfUnsupportedPlatform()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            throw new PlatformNotSupportedException(
                "[RunInProcess] workers need Linux or macOS: they use Unix domain sockets, POSIX signals and (on Linux) parent-death signals.");
        }
    }

    private static void ThrowIfTooLarge(int argumentsLength, string owner, string methodName)
    {
        if (TaskRequest.BodyLength(owner, argumentsLength) > ProcessSettings.MaxFrameLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The arguments of {methodName} encode to {argumentsLength} bytes, more than ProcessSettings.MaxFrameLength ({ProcessSettings.MaxFrameLength} bytes) allows; pass large data through shared memory or raise the limit."),
                nameof(argumentsLength));
        }
    }

    private static async Task<T> SuperviseAsync<T>(WorkerProcess worker, ulong methodId, string methodName, string owner,
                                                   ReadOnlyMemory<byte> arguments, ProcessResultDecoder<T> decode)
    {
        WorkerConnection connection = await worker.ConnectAsync(methodName).ConfigureAwait(false);
        Outcome<T> outcome;
        using (connection)
        {
            try
            {
                outcome = await RunTaskAsync(connection, methodId, owner, arguments, decode).ConfigureAwait(false);
            }
            catch (ProtocolException)
            {
                worker.Kill();
                await worker.WaitForExitAsync().ConfigureAwait(false);
                throw;
            }
        }

        await worker.WaitForExitAsync().ConfigureAwait(false);
        if (!outcome.Received)
        {
            throw worker.Terminated();
        }

        return outcome.Error is null ? outcome.Value! : throw outcome.Error;
    }

    /// <summary>
    /// Sends the task and, right behind it, <see cref="FrameKind.Shutdown"/>: the worker exits as soon as its result
    /// is sent instead of waiting for one more round trip.
    /// </summary>
    private static async Task<Outcome<T>> RunTaskAsync<T>(WorkerConnection connection, ulong methodId, string owner,
                                                          ReadOnlyMemory<byte> arguments, ProcessResultDecoder<T> decode)
    {
        try
        {
            await connection.SendTaskAsync(SingleTaskId, methodId, owner, arguments, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The worker went away while the task was sent: it ended before returning a result.
            return default;
        }

        try
        {
            connection.BeginShutdown();
            await connection.SendAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The worker closed its end early; whatever it sent before is still there to read.
        }

        using TaskResult? result = await connection.ReceiveAsync(CancellationToken.None).ConfigureAwait(false);
        return result is null ? default : Read(result, decode);
    }

    private static Outcome<T> Read<T>(TaskResult result, ProcessResultDecoder<T> decode)
    {
        if (result.TaskId != SingleTaskId)
        {
            throw new ProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"The worker answered task {result.TaskId}; it was given task {SingleTaskId}."));
        }

        if (!result.IsSuccess)
        {
            return new Outcome<T>(true, default, result.ReadError().ToException());
        }

        try
        {
            return new Outcome<T>(true, decode(result.Payload), null);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new ProtocolException(
                $"The worker's result could not be decoded as {typeof(T).Name}: {exception.Message} Parent and worker must run the same build of the program.",
                exception);
        }
    }

    private readonly record struct Outcome<T>(bool Received, T? Value, RemoteException? Error);
}
