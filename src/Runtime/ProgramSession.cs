using System;
using System.Globalization;

namespace ParallelDsl;

/// <summary>
/// Identifies one run of a program: the main process and every worker it starts, directly or through other
/// workers, share the same id. Names of shared-memory segments and other cross-process resources derive from it,
/// so two runs of the same program never see each other's state.
/// </summary>
internal static class ProgramSession
{
    /// <summary>The environment variable through which a parent hands the session id to its workers.</summary>
    public const string EnvironmentVariable = "PARALLELDSL_SESSION";

    private static readonly Lazy<string> LazyId = new(CreateOrInherit);

    /// <summary>The session id: inherited from the parent in a worker, created by the main process otherwise.</summary>
    public static string Id => LazyId.Value;

    /// <summary>Whether this process inherited its session from a parent (it is a worker of this program run).</summary>
    public static bool IsInherited => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable));

    private static string CreateOrInherit()
    {
        string? inherited = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(inherited))
        {
            return inherited;
        }

        // The pid makes ids of live runs distinct; the random part guards against pid reuse after a crash.
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{Random.Shared.Next():x8}");
    }
}
