using ParallelDsl;
using ParallelDsl.Tests.Processes;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// What the tests of pools with real worker processes share: a generous time limit that only a hang reaches, a
/// folder for the logs tasks leave (a worker cannot touch the test's memory), and the check that no worker process
/// outlives its pool.
/// </summary>
public abstract class WorkerProcessTest : IDisposable
{
    protected static readonly TimeSpan Safety = TimeSpan.FromSeconds(120);

    private readonly string _directory = Directory.CreateTempSubdirectory("pdsl-pool-test-").FullName;

    /// <summary>The test's own folder, deleted after it.</summary>
    protected string Folder => _directory;

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the pool and checks that none of <paramref name="pids"/> is still running.</summary>
    protected static void AssertGoneAfterDispose(ProcessPool pool, IReadOnlyCollection<int> pids)
    {
        pool.Dispose();
        Assert.NotEmpty(pids);
        Assert.All(pids, pid => Assert.False(ProcessTree.IsRunning(pid), $"worker {pid} survived Dispose"));
    }

    /// <summary>Creates an empty log named <paramref name="name"/> that tasks append "value pid" lines to.</summary>
    protected string Log(string name) => ProcessLog.Create(Path.Combine(_directory, name + ".log"));

    protected static int[] LoggedValues(string log) => [.. ProcessLog.Lines(log).Select(line => int.Parse(line.Split(' ')[0]))];

    protected static int[] LoggedPids(string log) => [.. ProcessLog.Lines(log).Select(line => int.Parse(line.Split(' ')[1])).Distinct()];
}
