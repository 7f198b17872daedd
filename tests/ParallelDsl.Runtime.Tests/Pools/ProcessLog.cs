namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// A log that several worker processes write at once: a folder with one file per line. Appending to one shared
/// file from several processes can lose lines (.NET seeks to the end and then writes, without O_APPEND), which
/// would make a test blame the pool for work that did run.
/// </summary>
internal static class ProcessLog
{
    private static int s_sequence;

    /// <summary>Creates an empty log at <paramref name="path"/> (a folder).</summary>
    public static string Create(string path)
    {
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// Adds one line, written whole by this process alone. It is written under a hidden name and then renamed, so
    /// that a reader never finds it half written (a pool may start a replacement worker, whose initializer logs,
    /// while the test reads the log).
    /// </summary>
    public static void Append(string log, string line)
    {
        string name = $"{Environment.ProcessId}-{Interlocked.Increment(ref s_sequence)}";
        string partial = Path.Combine(log, "." + name);
        File.WriteAllText(partial, line);
        File.Move(partial, Path.Combine(log, name));
    }

    /// <summary>Every line appended so far, in no particular order.</summary>
    public static string[] Lines(string log) =>
        [.. Directory.GetFiles(log).Where(path => !Path.GetFileName(path).StartsWith('.')).Select(File.ReadAllText)];
}
