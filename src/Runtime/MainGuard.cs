using System;

namespace ParallelDsl;

/// <summary>
/// The main guard, the counterpart of Python's <c>if __name__ == "__main__":</c>. A worker process is a fresh
/// start of the same program; call <see cref="Enter(string[])"/> as the first statement of <c>Main</c> so that a
/// worker runs its task and exits there instead of running the rest of <c>Main</c>.
/// </summary>
public static class MainGuard
{
    private static volatile bool s_reached;
    private static Func<string[], int?>? s_workerRole;

    /// <summary>Whether this process's entry point has called <see cref="Enter(string[])"/>.</summary>
    internal static bool Reached => s_reached;

    /// <summary>
    /// In the main process, returns at once. In a worker, connects to the parent, runs the tasks it sends and exits
    /// the process without returning: with code 0 when every task succeeded, 1 when one threw (its exception
    /// travels to the parent), 3 when the parent could not be reached or authenticated.
    /// </summary>
    /// <param name="args">The arguments of <c>Main</c>. A worker learns its role from its environment, not from them.</param>
    public static void Enter(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        s_reached = true;
        if (WorkerEnvironment.IsPresent)
        {
            Environment.Exit(WorkerLoop.Run());
        }

        if (s_workerRole?.Invoke(args) is int exitCode)
        {
            Environment.Exit(exitCode);
        }
    }

    /// <summary>
    /// Adds another kind of worker this program can be started as, recognised by <see cref="Enter(string[])"/> after the
    /// local worker: <paramref name="role"/> returns <see langword="null"/> when <c>args</c> and the environment do not
    /// ask for it, else runs the worker and returns its exit code. Called by a generated module initializer when the
    /// program references a package that brings such a worker (ParallelDsl.Cluster), so the runtime needs no
    /// reference to it and no reflection.
    /// </summary>
    /// <param name="role">The worker's entry.</param>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static void RegisterWorkerRole(Func<string[], int?> role)
    {
        ArgumentNullException.ThrowIfNull(role);
        s_workerRole = role;
    }

    /// <summary>
    /// Stops a worker whose <c>Main</c> skipped the guard when it tries to start workers of its own: that worker runs
    /// the program's <c>Main</c>, which would start the same workers again, each of them starting more. It writes why
    /// to standard error and exits with <see cref="WorkerLoop.MissingGuard"/> (code 2), which its parent reports as the
    /// missing guard with the fix; nothing more of the wrong <c>Main</c> runs (an exception could be caught by it and
    /// let it go on, and an uncaught one would abort the process, which would look like a worker that died while it
    /// started).
    /// </summary>
    internal static void ExitIfUnguardedWorker()
    {
        if (WorkerEnvironment.IsPresent)
        {
            MissingMainGuardException refusal = MissingMainGuardException.UnguardedWorker();
            Console.Error.WriteLine($"ParallelDsl worker '{Environment.GetEnvironmentVariable(WorkerEnvironment.NameVariable)}' (pid {Environment.ProcessId}) stopped: {refusal.GetType().FullName}: {refusal.Message}");
            Environment.Exit(WorkerLoop.MissingGuard);
        }
    }
}
