using System.Collections.Concurrent;
using ParallelDsl.Samples.Tour;

namespace ParallelDsl.Samples.Tests;

/// <summary>Runs each sample once for all the tests that read its output, and finds the one line a test is about.</summary>
internal static class SampleLines
{
    private static readonly ConcurrentDictionary<string, Lazy<SampleRun>> Runs = new();

    /// <summary>The run of the sample called <paramref name="name"/>: started by the first test that asks.</summary>
    public static SampleRun RunOf(string name) =>
        Runs.GetOrAdd(name, static sample => new Lazy<SampleRun>(() => SampleRunner.Run(sample, SampleTimeouts.PerSample))).Value;

    public static int IndexOf(IReadOnlyList<string> lines, string exact) => IndexOf(lines, line => line == exact);

    /// <summary>The index of the only line that matches; fails, showing the output, when none or several do.</summary>
    public static int IndexOf(IReadOnlyList<string> lines, Func<string, bool> match)
    {
        int[] found = lines.Select((line, index) => (line, index)).Where(pair => match(pair.line)).Select(pair => pair.index).ToArray();
        Assert.True(found.Length == 1, $"expected exactly one matching line, found {found.Length} in:\n{string.Join("\n", lines)}");
        return found[0];
    }
}
