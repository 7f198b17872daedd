using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Reflection;
using System.Text;

namespace ParallelDsl;

/// <summary>
/// How to start a fresh copy of this program: its own executable (an apphost or a NativeAOT binary), or the
/// <c>dotnet</c> muxer with the host options it was started with and the entry assembly.
/// </summary>
internal sealed record WorkerCommand(string FileName, IReadOnlyList<string> Arguments)
{
    private static readonly Lazy<WorkerCommand> LazyProgram = new(ForThisProgram);

    /// <summary>The command that starts this program again, without the program's own arguments.</summary>
    public static WorkerCommand Program => LazyProgram.Value;

    [UnconditionalSuppressMessage("SingleFile", "IL3000",
        Justification = "Location is read only when the program runs under the dotnet muxer, where the entry assembly is a file.")]
    private static WorkerCommand ForThisProgram()
    {
        string executable = Environment.ProcessPath
            ?? throw new PlatformNotSupportedException("This process cannot determine its own executable, so it cannot start worker processes.");
        if (!string.Equals(Path.GetFileNameWithoutExtension(executable), "dotnet", StringComparison.Ordinal))
        {
            return new WorkerCommand(executable, []);
        }

        string entry = Assembly.GetEntryAssembly()?.Location ?? string.Empty;
        if (entry.Length == 0)
        {
            throw new PlatformNotSupportedException("The program runs under the dotnet muxer but its entry assembly has no file, so it cannot start worker processes.");
        }

        return new WorkerCommand(executable, HostArgumentsThrough(entry));
    }

    /// <summary>
    /// The muxer's arguments up to the entry assembly (<c>exec --runtimeconfig … --depsfile … app.dll</c>), with the
    /// entry assembly as a full path; the program's own arguments after it are not repeated.
    /// </summary>
    private static List<string> HostArgumentsThrough(string entry)
    {
        var arguments = new List<string>();
        string entryFileName = Path.GetFileName(entry);
        foreach (string argument in ReadOwnCommandLine())
        {
            if (string.Equals(Path.GetFileName(argument), entryFileName, StringComparison.Ordinal))
            {
                arguments.Add(entry);
                return arguments;
            }

            arguments.Add(argument);
        }

        return [entry];
    }

    /// <summary>This process's arguments after the executable, as the kernel recorded them (Linux); empty elsewhere.</summary>
    private static List<string> ReadOwnCommandLine()
    {
        try
        {
            string[] all = Encoding.UTF8.GetString(File.ReadAllBytes("/proc/self/cmdline")).Split('\0');
            int count = all.Length > 0 && all[^1].Length == 0 ? all.Length - 1 : all.Length;
            return count > 1 ? [.. all[1..count]] : [];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
