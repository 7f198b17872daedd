using System;
using System.Globalization;
using System.Text;

namespace ParallelDsl;

/// <summary>
/// The exception a <see cref="RunInProcessAttribute"/> method threw in its worker process, as the parent sees it:
/// the remote type name, message and stack trace, and which process threw it.
/// </summary>
/// <remarks>The original exception object stays in the worker; only its description crosses the boundary.</remarks>
public sealed class RemoteException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public RemoteException()
        : this("System.Exception", "A worker process failed.", string.Empty, 0, string.Empty)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    /// <param name="message">The remote message.</param>
    public RemoteException(string message)
        : this("System.Exception", message, string.Empty, 0, string.Empty)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> and a local cause.</summary>
    /// <param name="message">The remote message.</param>
    /// <param name="innerException">The local cause.</param>
    public RemoteException(string message, Exception innerException)
        : base(message, innerException)
    {
        RemoteTypeName = "System.Exception";
        RemoteMessage = message;
        RemoteStackTrace = string.Empty;
        ProcessName = string.Empty;
    }

    /// <summary>Creates the description of an exception thrown in a worker.</summary>
    /// <param name="remoteTypeName">The full name of the exception's type in the worker.</param>
    /// <param name="remoteMessage">The exception's message.</param>
    /// <param name="remoteStackTrace">The exception's stack trace in the worker.</param>
    /// <param name="processId">The worker's pid.</param>
    /// <param name="processName">The worker's name.</param>
    public RemoteException(string remoteTypeName, string remoteMessage, string remoteStackTrace, int processId, string processName)
        : base(string.Create(CultureInfo.InvariantCulture, $"{remoteTypeName} in process '{processName}' (pid {processId}): {remoteMessage}"))
    {
        RemoteTypeName = remoteTypeName;
        RemoteMessage = remoteMessage;
        RemoteStackTrace = remoteStackTrace;
        ProcessId = processId;
        ProcessName = processName;
    }

    /// <summary>The full name of the exception's type in the worker, such as <c>System.InvalidOperationException</c>.</summary>
    public string RemoteTypeName { get; }

    /// <summary>The exception's own message, without the process details <see cref="Exception.Message"/> adds.</summary>
    public string RemoteMessage { get; }

    /// <summary>The exception's stack trace in the worker.</summary>
    public string RemoteStackTrace { get; }

    /// <summary>The pid of the worker that threw.</summary>
    public int ProcessId { get; }

    /// <summary>The name of the worker that threw (<see cref="CurrentProcess.Name"/> there).</summary>
    public string ProcessName { get; }

    /// <summary>The message, the remote stack trace, then the local one.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(GetType().FullName).Append(": ").AppendLine(Message);
        if (RemoteStackTrace.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" ---> remote stack trace (process '{ProcessName}', pid {ProcessId}):").AppendLine();
            text.AppendLine(RemoteStackTrace);
            text.AppendLine("   --- end of remote stack trace ---");
        }

        text.Append(StackTrace);
        return text.ToString();
    }
}

/// <summary>
/// A worker process ended before it returned a result: it was killed by a signal (by <see cref="ProcessHandle.Kill"/>,
/// <see cref="ProcessHandle.Terminate"/> or from outside), crashed, or exited on its own.
/// </summary>
public sealed class ProcessTerminatedException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public ProcessTerminatedException()
        : base("A worker process ended before it returned a result.")
    {
        ProcessName = string.Empty;
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    /// <param name="message">The message.</param>
    public ProcessTerminatedException(string message)
        : base(message)
    {
        ProcessName = string.Empty;
    }

    /// <summary>Creates an exception with <paramref name="message"/> and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ProcessTerminatedException(string message, Exception innerException)
        : base(message, innerException)
    {
        ProcessName = string.Empty;
    }

    internal ProcessTerminatedException(string processName, int processId, int exitCode, bool outOfMemory = false)
        : this(Describe(processName, processId, exitCode, outOfMemory), processName, processId, exitCode, outOfMemory)
    {
    }

    private ProcessTerminatedException(string message, string processName, int processId, int exitCode, bool outOfMemory)
        : base(message)
    {
        ProcessName = processName;
        ProcessId = processId;
        ExitCode = exitCode;
        KilledByOutOfMemoryKiller = outOfMemory;
    }

    /// <summary>The worker's name.</summary>
    public string ProcessName { get; }

    /// <summary>The worker's pid.</summary>
    public int ProcessId { get; }

    /// <summary>The worker's exit code; 128 + n when signal n ended it (see <see cref="ProcessHandle.ExitCode"/>).</summary>
    public int ExitCode { get; }

    /// <summary>The signal that ended the worker (9 for SIGKILL, 15 for SIGTERM…), or <see langword="null"/> when it exited.</summary>
    public int? Signal => ProcessHandle.SignalOf(ExitCode);

    /// <summary>
    /// Whether the kernel's out-of-memory killer ended the worker, as far as Linux tells: it died by SIGKILL while the
    /// OOM kill counter of its memory cgroup (<c>memory.events</c> or <c>memory.oom_control</c>) went up.
    /// </summary>
    public bool KilledByOutOfMemoryKiller { get; }

    /// <summary>A worker ended by a signal before it connected back to its parent, so before it ran anything.</summary>
    /// <param name="processName">The worker's name.</param>
    /// <param name="processId">The worker's pid.</param>
    /// <param name="exitCode">Its exit code, 128 + the signal.</param>
    /// <param name="outOfMemory">Whether the OOM killer ended it.</param>
    /// <param name="task">What it was started for (<c>Program.Square</c>), or <see langword="null"/> for a pool worker.</param>
    /// <param name="stoppedFor">Set when a signal stopped the worker (SIGSTOP) and it was killed after this long without connecting.</param>
    internal static ProcessTerminatedException BeforeConnecting(string processName, int processId, int exitCode, bool outOfMemory, string? task, TimeSpan? stoppedFor = null)
    {
        int signal = ProcessHandle.SignalOf(exitCode) ?? 0;
        string purpose = task is null ? "" : $" to run {task}";
        if (stoppedFor is TimeSpan waited)
        {
            return new(
                string.Create(CultureInfo.InvariantCulture,
                    $"Process '{processName}' (pid {processId}) was stopped by a signal (SIGSTOP or SIGTSTP) while it started, did not connect back to its parent{purpose} within {waited.TotalSeconds:0.#} s and was killed, so it ran nothing."),
                processName, processId, exitCode, outOfMemory);
        }

        string cause = outOfMemory
            ? "the kernel's out-of-memory killer ended it (its memory cgroup counted an OOM kill)"
            : "something outside the program ended it (an operator's kill, the OOM killer, a container limit) or it crashed while starting; its own output, on the same stderr, may tell more";
        return new(
            string.Create(CultureInfo.InvariantCulture,
                $"Process '{processName}' (pid {processId}) was ended by {LibC.SignalName(signal)} (signal {signal}) while it started, before it connected back to its parent{purpose}, so it ran nothing: {cause}."),
            processName, processId, exitCode, outOfMemory);
    }

    private static string Describe(string processName, int processId, int exitCode, bool outOfMemory) =>
        ProcessHandle.SignalOf(exitCode) is int signal
            ? string.Create(CultureInfo.InvariantCulture,
                $"Process '{processName}' (pid {processId}) was ended by {LibC.SignalName(signal)} before it returned a result (exit code {exitCode} = 128 + {signal}){(outOfMemory ? ": the kernel's out-of-memory killer ended it (its memory cgroup counted an OOM kill)" : "")}.")
            : string.Create(CultureInfo.InvariantCulture,
                $"Process '{processName}' (pid {processId}) exited with code {exitCode} before it returned a result.");
}

/// <summary>
/// A worker process never reached <see cref="MainGuard.Enter(string[])"/>: the program's entry point does not call the
/// guard first, so the worker ran the program's normal <c>Main</c> instead of its task. Add
/// <c>MainGuard.Enter(args);</c> as the first statement of <c>Main</c>.
/// </summary>
public sealed class MissingMainGuardException : InvalidOperationException
{
    /// <summary>The fix, as every message of this exception states it.</summary>
    public const string Fix = "add `MainGuard.Enter(args);` as the first statement of Main";

    /// <summary>Creates an exception with the standard message.</summary>
    public MissingMainGuardException()
        : base($"A worker process did not reach the main guard: {Fix}.")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    /// <param name="message">The message; it should name the fix.</param>
    public MissingMainGuardException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> and its cause.</summary>
    /// <param name="message">The message; it should name the fix.</param>
    /// <param name="innerException">The cause.</param>
    public MissingMainGuardException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static MissingMainGuardException ExitedWithoutConnecting(string processName, int processId, int exitCode) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"Process '{processName}' (pid {processId}) exited with code {exitCode} without connecting back to its parent, so it never ran its task: most likely the program's Main does not call the main guard first and ran instead. To run [RunInProcess] methods, {Fix} (the child's own output, on the same stderr, may tell more)."));

    internal static MissingMainGuardException ReportedByWorker(string processName, int processId) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"Process '{processName}' (pid {processId}) reported that the program's Main does not call the main guard first: it ran Main instead of its task and stopped when Main tried to start workers of its own. To run [RunInProcess] methods, {Fix}."));

    internal static MissingMainGuardException ConnectTimedOut(string processName, int processId, TimeSpan timeout) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"Process '{processName}' (pid {processId}) did not connect back to its parent within {timeout.TotalSeconds:0.#} s and was killed: it is most likely running the program's Main instead of its task. To run [RunInProcess] methods, {Fix} (or raise ProcessSettings.ConnectTimeout if the program starts slowly)."));

    internal static MissingMainGuardException UnguardedWorker() =>
        new($"This process was started as a ParallelDsl worker but its Main did not call the main guard, so it must not start worker processes of its own (that would start workers without end). To fix it, {Fix}.");
}
