namespace ParallelDsl.Samples.Tests;

/// <summary>Finds lines in a sample's output, failing with the whole output when a line is missing or repeated.</summary>
internal static class SampleLines
{
    public static int IndexOf(IReadOnlyList<string> lines, string exact) => IndexOf(lines, line => line == exact);

    public static int IndexOf(IReadOnlyList<string> lines, Func<string, bool> match)
    {
        int[] found = [.. lines.Select((line, index) => (line, index)).Where(pair => match(pair.line)).Select(pair => pair.index)];
        Assert.True(found.Length == 1, $"expected exactly one matching line, found {found.Length} in:\n{string.Join("\n", lines)}");
        return found[0];
    }
}
