using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace ParallelDsl.Samples.Tour;

/// <summary>How one run of a sample ended.</summary>
/// <param name="Name">The sample's name.</param>
/// <param name="ExitCode">The program's exit code; -1 when it was killed after a timeout.</param>
/// <param name="StandardOutput">Everything it wrote to standard output.</param>
/// <param name="StandardError">Everything it wrote to standard error.</param>
/// <param name="TimedOut">Whether it ran past its timeout and was killed, with every process it started.</param>
internal sealed record SampleRun(string Name, int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    /// <summary>Whether the sample ended by itself with exit code 0.</summary>
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>The lines of standard output.</summary>
    public IReadOnlyList<string> Lines => StandardOutput.Split('\n', StringSplitOptions.None) is var lines && lines[^1].Length == 0
        ? lines[..^1]
        : lines;
}

/// <summary>Runs a built sample as a child process (<c>dotnet {Name}.dll</c>), with a timeout.</summary>
internal static class SampleRunner
{
    /// <summary>How long a sample may run unless the caller says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs the sample called <paramref name="name"/> and waits for it.</summary>
    /// <param name="name">The sample's name, as listed in the tour.</param>
    /// <param name="timeout">How long it may run; past that it is killed with every process it started.</param>
    /// <param name="onOutput">Receives each line of standard output as it is written.</param>
    /// <param name="onError">Receives each line of standard error as it is written.</param>
    public static SampleRun Run(string name, TimeSpan? timeout = null, Action<string>? onOutput = null, Action<string>? onError = null)
    {
        SampleInfo sample = SampleCatalog.Find(name);
        SampleCatalog.EnsureBuilt(sample);
        return RunProgram(sample.Name, sample.ProgramPath, [], timeout ?? DefaultTimeout, onOutput, onError);
    }

    /// <summary>Runs <c>dotnet {programPath} {arguments}</c> and waits for it, killing its process tree on timeout.</summary>
    public static SampleRun RunProgram(
        string name, string programPath, IReadOnlyList<string> arguments, TimeSpan timeout, Action<string>? onOutput = null, Action<string>? onError = null)
    {
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(programPath);
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var error = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, line) => Collect(line.Data, output, onOutput);
        process.ErrorDataReceived += (_, line) => Collect(line.Data, error, onError);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        bool timedOut = !process.WaitForExit(timeout);
        if (timedOut)
        {
            process.Kill(entireProcessTree: true);
        }

        // Waiting without a timeout after the exit also drains the redirected output to its end.
        process.WaitForExit();
        return new SampleRun(name, timedOut ? -1 : process.ExitCode, Text(output), Text(error), timedOut);
    }

    private static void Collect(string? line, StringBuilder text, Action<string>? forward)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.Append(line).Append('\n');
        }

        forward?.Invoke(line);
    }

    private static string Text(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    /// <summary>
    /// The <c>dotnet</c> host to run samples with: the one the SDK names when it started us, else the one at the root
    /// of the installation running this program (<c>{root}/shared/Microsoft.NETCore.App/{version}/</c>), else the PATH's.
    /// </summary>
    private static string DotnetHost()
    {
        string? fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string root = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        string host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}
