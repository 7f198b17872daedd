namespace ParallelDsl.Analyzers.Tests;

/// <summary>Files of this repository that tests read: docs, release tracking, samples.</summary>
internal static class Repository
{
    /// <summary>The repository root: the nearest directory above the test binaries that holds the solution.</summary>
    public static readonly string Root = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ParallelDsl.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ParallelDsl.sln above {AppContext.BaseDirectory}.");
    }
}
