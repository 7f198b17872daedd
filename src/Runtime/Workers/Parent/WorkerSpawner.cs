using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// Starts every worker process from one dedicated thread that lives as long as the program. Workers ask the
/// kernel for SIGKILL when their parent dies (PR_SET_PDEATHSIG), and Linux sends it when the parent *thread* that
/// forked them ends: spawning from a short-lived thread would kill a worker as soon as that thread finished.
/// </summary>
internal static class WorkerSpawner
{
    private static readonly BlockingCollection<SpawnRequest> Requests = [];
    private static readonly Lazy<Thread> SpawnThread = new(StartSpawnThread);

    /// <summary>Starts <paramref name="startInfo"/> on the spawner thread and returns the started process.</summary>
    public static Process Spawn(ProcessStartInfo startInfo)
    {
        _ = SpawnThread.Value;
        var request = new SpawnRequest(startInfo);
        Requests.Add(request);
        return request.Started.Task.GetAwaiter().GetResult();
    }

    private static Thread StartSpawnThread()
    {
        var thread = new Thread(ServeRequests) { IsBackground = true, Name = "ParallelDsl process spawner" };
        thread.Start();
        return thread;
    }

    private static void ServeRequests()
    {
        foreach (SpawnRequest request in Requests.GetConsumingEnumerable())
        {
            try
            {
                request.Started.SetResult(Process.Start(request.StartInfo)
                    ?? throw new InvalidOperationException($"Starting '{request.StartInfo.FileName}' did not create a process."));
            }
#pragma warning disable CA1031 // The failure belongs to the thread that asked for the process.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                request.Started.SetException(exception);
            }
        }
    }

    private sealed record SpawnRequest(ProcessStartInfo StartInfo)
    {
        public TaskCompletionSource<Process> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
