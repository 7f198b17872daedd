using System;

namespace ParallelDsl;

/// <summary>
/// Facts about the process the code runs in, like Python's <c>multiprocessing.current_process()</c> and
/// <c>os.getppid()</c> as seen through the process tree ParallelDsl builds.
/// </summary>
public static class CurrentProcess
{
    /// <summary>The name of the program's main process.</summary>
    public const string MainProcessName = "MainProcess";

    private static WorkerEnvironment? s_worker;

    /// <summary>
    /// <c>"MainProcess"</c> in the program's main process; in a worker, the worker's name (the attribute's or
    /// launcher's <c>Name</c>, or the method's name with a running number such as <c>Square-1</c>).
    /// </summary>
    public static string Name => s_worker?.Name ?? MainProcessName;

    /// <summary>This process's pid.</summary>
    public static int Id => Environment.ProcessId;

    /// <summary>
    /// In a worker, the pid of the process that started it; <see langword="null"/> in the main process (which was
    /// not started by ParallelDsl).
    /// </summary>
    public static int? ParentId => s_worker?.ParentPid;

    /// <summary>Whether this process is a worker started by a <see cref="RunInProcessAttribute"/> launcher or a pool.</summary>
    public static bool IsWorker => s_worker is not null;

    internal static void BecomeWorker(WorkerEnvironment worker) => s_worker = worker;
}
