using System;
using System.IO;

namespace ParallelDsl;

/// <summary>
/// How many processes the kernel's out-of-memory killer has ended in a process's memory cgroup, where Linux tells:
/// the <c>oom_kill</c> line of <c>memory.events</c> (cgroup v2) or <c>memory.oom_control</c> (cgroup v1). A worker
/// that dies by SIGKILL while that counter goes up was, most likely, ended by the OOM killer.
/// </summary>
internal static class OutOfMemoryKills
{
    private const string SysRoot = "/sys/fs/cgroup";

    /// <summary>The counter of the memory cgroup <paramref name="pid"/> is in; <see langword="null"/> where none can be read.</summary>
    public static long? Read(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return Read(File.ReadAllText($"/proc/{pid}/cgroup"), SysRoot);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The counter for a process whose <c>/proc/[pid]/cgroup</c> reads <paramref name="cgroups"/>, with the cgroup
    /// file systems mounted under <paramref name="sysRoot"/>. A container often mounts its own cgroup as the root, so
    /// the path is tried below the mount, then the mount itself.
    /// </summary>
    public static long? Read(string cgroups, string sysRoot)
    {
        foreach (string line in cgroups.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(':', 3);
            if (fields.Length != 3)
            {
                continue;
            }

            string path = fields[2].Trim().TrimStart('/');
            long? counter = fields[1] switch
            {
                "" => ReadFirst(path, "memory.events", sysRoot, Path.Combine(sysRoot, "unified")),
                string controllers when Array.IndexOf(controllers.Split(','), "memory") >= 0 =>
                    ReadFirst(path, "memory.oom_control", Path.Combine(sysRoot, "memory")),
                _ => null,
            };
            if (counter is not null)
            {
                return counter;
            }
        }

        return null;
    }

    private static long? ReadFirst(string path, string file, params string[] mounts)
    {
        foreach (string mount in mounts)
        {
            foreach (string directory in (string[])[Path.Combine(mount, path), mount])
            {
                if (ReadCounter(Path.Combine(directory, file)) is long counter)
                {
                    return counter;
                }
            }
        }

        return null;
    }

    private static long? ReadCounter(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("oom_kill ", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan("oom_kill ".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long count))
            {
                return count;
            }
        }

        return null;
    }
}
