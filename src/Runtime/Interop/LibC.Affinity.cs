using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace ParallelDsl;

// CPU affinity (Linux): which processors a thread may run on.
internal static partial class LibC
{
    /// <summary>The largest CPU number an affinity mask here can name (the kernel's default CPU_SETSIZE).</summary>
    public const int MaxCpus = 1024;

    [LibraryImport(Library, EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static unsafe partial int SchedSetAffinity(int pid, nuint size, ulong* mask);

    [LibraryImport(Library, EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static unsafe partial int SchedGetAffinity(int pid, nuint size, ulong* mask);

    /// <summary>
    /// Pins every thread of process <paramref name="pid"/> to <paramref name="cpus"/> (threads it starts later inherit
    /// the mask of the thread that starts them).
    /// </summary>
    /// <exception cref="IOException">The kernel refused the mask (no such CPU online, or the process is gone).</exception>
    public static void SetProcessAffinity(int pid, IReadOnlyList<int> cpus)
    {
        int[] threads;
        try
        {
            threads = [.. ThreadIds(pid)];
        }
        catch (DirectoryNotFoundException)
        {
            // The process is gone: whoever waits for it sees its exit.
            return;
        }

        foreach (int tid in threads)
        {
            SetThreadAffinity(tid, cpus);
        }
    }

    /// <summary>The CPUs thread <paramref name="tid"/> may run on (0 for the calling thread), ascending.</summary>
    public static unsafe int[] GetAffinity(int tid)
    {
        ulong* mask = stackalloc ulong[MaxCpus / 64];
        if (SchedGetAffinity(tid, MaxCpus / 8, mask) != 0)
        {
            throw new IOException($"sched_getaffinity failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        var cpus = new List<int>();
        for (int cpu = 0; cpu < MaxCpus; cpu++)
        {
            if ((mask[cpu / 64] & (1UL << (cpu % 64))) != 0)
            {
                cpus.Add(cpu);
            }
        }

        return [.. cpus];
    }

    private static unsafe void SetThreadAffinity(int tid, IReadOnlyList<int> cpus)
    {
        ulong* mask = stackalloc ulong[MaxCpus / 64];
        new Span<ulong>(mask, MaxCpus / 64).Clear();
        foreach (int cpu in cpus)
        {
            mask[cpu / 64] |= 1UL << (cpu % 64);
        }

        // ESRCH: the thread ended between the listing and this call, which is no failure.
        if (SchedSetAffinity(tid, MaxCpus / 8, mask) != 0 && Marshal.GetLastPInvokeError() is int errno && errno != 3)
        {
            throw new IOException(
                $"sched_setaffinity of thread {tid} to CPUs {string.Join(',', cpus)} failed (errno {errno}): a CPU that is not online, or outside this process's cgroup.");
        }
    }

    private static IEnumerable<int> ThreadIds(int pid)
    {
        foreach (string path in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            if (int.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out int tid))
            {
                yield return tid;
            }
        }
    }
}
