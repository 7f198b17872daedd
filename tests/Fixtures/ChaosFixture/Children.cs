using System.Globalization;

namespace ParallelDsl.Tests.Chaos;

/// <summary>This process's children as /proc shows them, and the memfds this process holds.</summary>
internal static class Children
{
    /// <summary>The pids of the live (not zombie) children of this process.</summary>
    public static int[] Live()
    {
        int self = Environment.ProcessId;
        var children = new List<int>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                || Stat(pid) is not { } fields)
            {
                continue;
            }

            if (fields[1] == self.ToString(CultureInfo.InvariantCulture) && fields[0] is not ("Z" or "X"))
            {
                children.Add(pid);
            }
        }

        return [.. children];
    }

    /// <summary>How long ago the process started; <see langword="null"/> once it is gone.</summary>
    public static TimeSpan? Age(int pid)
    {
        if (Stat(pid) is not { } fields)
        {
            return null;
        }

        // Field 22 of /proc/[pid]/stat, in clock ticks (100 per second on Linux) since boot.
        double started = long.Parse(fields[19], CultureInfo.InvariantCulture) / 100.0;
        double uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(Math.Max(0, uptime - started));
    }

    /// <summary>Whether the process is stopped (SIGSTOP).</summary>
    public static bool IsStopped(int pid) => Stat(pid) is { } fields && fields[0] == "T";

    /// <summary>Waits until this process has no live child; returns those left after <paramref name="timeout"/>.</summary>
    public static int[] WaitUntilNone(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        int[] left = Live();
        while (left.Length > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
            left = Live();
        }

        return left;
    }

    /// <summary>How many memfd shared-memory files this process holds open.</summary>
    public static int MemfdCount()
    {
        int count = 0;
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is string target && target.StartsWith("/memfd:", StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // Closed while listed.
            }
        }

        return count;
    }

    /// <summary>The fields after the command name in /proc/[pid]/stat: [0] is the state, [1] the parent pid.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}
