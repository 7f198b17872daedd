using System.Runtime.InteropServices;

namespace ParallelDsl.Benchmarks.Analyzers;

/// <summary>
/// The CPU time used by this process's finished child processes, from <c>getrusage(RUSAGE_CHILDREN)</c>: the
/// difference across one compiler run is that run's CPU time, which a busy machine disturbs far less than wall time.
/// </summary>
internal static class ChildCpuTime
{
    private const int ChildrenOfThisProcess = -1;

    /// <summary>The total so far, or <see langword="null"/> where the call is not available (not Linux).</summary>
    public static TimeSpan? Total()
    {
        if (!OperatingSystem.IsLinux() || GetResourceUsage(ChildrenOfThisProcess, out ResourceUsage usage) != 0)
        {
            return null;
        }

        return TimeSpan.FromSeconds(usage.UserSeconds + usage.SystemSeconds)
               + TimeSpan.FromMicroseconds(usage.UserMicroseconds + usage.SystemMicroseconds);
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetResourceUsage(int who, out ResourceUsage usage);

    /// <summary>The leading fields of <c>struct rusage</c> on 64-bit Linux; the rest of its 144 bytes are not read.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 144)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
    }
}
