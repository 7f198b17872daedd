using System.Runtime.InteropServices;

namespace ParallelDsl;

// The calls the process runtime needs that .NET does not expose: signals, the parent pid, the parent-death signal.
internal static partial class LibC
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    private const int PR_SET_PDEATHSIG = 1;

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(Library, EntryPoint = "getppid")]
    public static partial int GetParentPid();

    [LibraryImport(Library, EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint argument2, nuint argument3, nuint argument4, nuint argument5);

    /// <summary>Linux: asks the kernel to send SIGKILL to this process when the thread that started it dies.</summary>
    public static bool TrySetParentDeathSignal() =>
        System.OperatingSystem.IsLinux() && Prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == 0;

    /// <summary>The name of a signal, for messages.</summary>
    public static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => "signal " + signal.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
