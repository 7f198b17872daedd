using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;

namespace ParallelDsl;

/// <summary>
/// The live workers of this process and what happens to them at normal exit: daemons are killed, the others are
/// joined, as Python does. Owns the private directory that holds the workers' sockets.
/// </summary>
internal static class ChildRegistry
{
    private static readonly ConcurrentDictionary<WorkerProcess, byte> Live = new();
    private static readonly Lazy<string> LazySocketDirectory = new(CreateSocketDirectory);
    private static int s_socketCounter;

    /// <summary>A fresh socket path inside a directory only this user can enter (mode 0700).</summary>
    public static string NextSocketPath() =>
        Path.Combine(LazySocketDirectory.Value, $"w{Interlocked.Increment(ref s_socketCounter)}.sock");

    public static void Add(WorkerProcess worker) => Live.TryAdd(worker, 0);

    public static void Remove(WorkerProcess worker) => Live.TryRemove(worker, out _);

    private static string CreateSocketDirectory()
    {
        // CreateTempSubdirectory creates the directory with mode 0700 on Unix.
        string directory = Directory.CreateTempSubdirectory("pdsl-").FullName;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

        // An unhandled exception ends the process without ProcessExit; the children die with it (parent-death
        // signal), but the directory would stay behind in the temp directory.
        AppDomain.CurrentDomain.UnhandledException += (_, _) => DeleteSocketDirectory();
        return directory;
    }

    private static void OnProcessExit(object? sender, EventArgs e)
    {
        WorkerProcess[] workers = [.. Live.Keys];
        foreach (WorkerProcess worker in workers)
        {
            if (worker.IsDaemon)
            {
                worker.Kill();
            }
        }

        foreach (WorkerProcess worker in workers)
        {
            worker.WaitForExit();
        }

        DeleteSocketDirectory();
    }

    private static void DeleteSocketDirectory()
    {
        try
        {
            Directory.Delete(LazySocketDirectory.Value, recursive: true);
        }
        catch (IOException)
        {
            // Another exit path removed it already.
        }
    }
}
