using System;
using System.Collections.Generic;
using System.Linq;

namespace ParallelDsl;

/// <summary>Checks a pool's <c>cpuAffinity</c> argument and pins each worker process to its CPUs (Linux).</summary>
internal static class PoolCpuAffinity
{
    /// <summary>
    /// The pinning step for <paramref name="workers"/> slots, or <see langword="null"/> without affinity: one set pins
    /// every worker to it, <paramref name="workers"/> sets pin the worker of slot <c>i</c> (and its replacements) to set <c>i</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A set is empty, names a CPU this process may not run on, or the number of sets is neither 1 nor <paramref name="workers"/>.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public static Action<int, IPoolWorker>? Create(IReadOnlyList<IReadOnlyList<int>>? cpuAffinity, int workers)
    {
        if (cpuAffinity is null)
        {
            return null;
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("cpuAffinity pins worker processes with sched_setaffinity, which only Linux has.");
        }

        if (cpuAffinity.Count != 1 && cpuAffinity.Count != workers)
        {
            throw new ArgumentException(
                $"cpuAffinity holds {cpuAffinity.Count} CPU sets for {workers} workers: give one set (every worker shares it) or one set per worker.",
                nameof(cpuAffinity));
        }

        int[] allowed = LibC.GetAffinity(0);
        int[][] sets = new int[cpuAffinity.Count][];
        for (int i = 0; i < sets.Length; i++)
        {
            IReadOnlyList<int> set = cpuAffinity[i] ?? throw new ArgumentException($"cpuAffinity[{i}] is null.", nameof(cpuAffinity));
            if (set.Count == 0)
            {
                throw new ArgumentException($"cpuAffinity[{i}] is empty: a worker needs at least one CPU to run on.", nameof(cpuAffinity));
            }

            foreach (int cpu in set)
            {
                if (Array.BinarySearch(allowed, cpu) < 0)
                {
                    throw new ArgumentException(
                        $"cpuAffinity[{i}] names CPU {cpu}, which this process may not run on; the CPUs it may use are {string.Join(',', allowed)}.",
                        nameof(cpuAffinity));
                }
            }

            sets[i] = [.. set.Distinct().Order()];
        }

        return (slot, worker) =>
        {
            if (worker.ProcessId is int pid)
            {
                LibC.SetProcessAffinity(pid, sets[sets.Length == 1 ? 0 : slot]);
            }
        };
    }
}
