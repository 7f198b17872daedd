using System.Runtime.InteropServices;

namespace ParallelDsl.Tests.Chaos;

/// <summary>kill(2), for the signals .NET's Process has no method for (SIGSTOP) and a kill that says whether it hit.</summary>
internal static class Signals
{
    public const int SIGKILL = 9;
    public const int SIGSTOP = 19;

    /// <summary>Sends <paramref name="signal"/>; <see langword="false"/> when the process is gone.</summary>
    public static bool Kill(int pid, int signal) => SysKill(pid, signal) == 0;

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int SysKill(int pid, int signal);
}
