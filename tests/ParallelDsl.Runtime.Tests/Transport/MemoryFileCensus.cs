namespace ParallelDsl.Tests.Transport;

/// <summary>
/// Counts what a large frame can leave behind in this process: open descriptors of memory files and /dev/shm files,
/// and mappings of spilled frames.
/// </summary>
internal static class MemoryFileCensus
{
    /// <summary>Descriptors in /proc/self/fd that point at a memfd or a /dev/shm file, and mappings of frame memory files.</summary>
    public static (int Descriptors, int FrameMappings) Take()
    {
        int descriptors = 0;
        foreach (string entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(entry).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed meanwhile (the enumeration's own descriptor, a finishing test)
            }

            if (target is not null && (target.StartsWith("/memfd:", StringComparison.Ordinal) || target.StartsWith("/dev/shm/", StringComparison.Ordinal)))
            {
                descriptors++;
            }
        }

        int mappings = File.ReadLines("/proc/self/maps").Count(line => line.Contains("/memfd:paralleldsl-frame", StringComparison.Ordinal));
        return (descriptors, mappings);
    }

    /// <summary>Fails when a memory-file descriptor or a frame mapping was added since <paramref name="before"/>.</summary>
    public static void AssertNoLeakSince((int Descriptors, int FrameMappings) before)
    {
        (int descriptors, int mappings) = Take();
        Assert.True(descriptors <= before.Descriptors, $"{descriptors - before.Descriptors} memfd or /dev/shm descriptors were left open");
        Assert.Equal(0, mappings);
    }
}
