using System;
using System.Globalization;
using System.IO;

namespace ParallelDsl;

/// <summary>A process's resident memory (RSS) as Linux reports it in <c>/proc/[pid]/statm</c>.</summary>
internal static class ResidentMemory
{
    /// <summary>The resident bytes of <paramref name="pid"/>; <see langword="null"/> where that cannot be read (gone, not Linux).</summary>
    public static long? Of(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        string statm;
        try
        {
            statm = File.ReadAllText($"/proc/{pid}/statm");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // Sizes in pages: total, then resident.
        string[] fields = statm.Split(' ');
        return fields.Length > 1 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long pages)
            ? pages * Environment.SystemPageSize
            : null;
    }
}
