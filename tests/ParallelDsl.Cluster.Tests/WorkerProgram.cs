using System.Diagnostics;
using System.Text;

namespace ParallelDsl.Cluster.Tests;

/// <summary>
/// A cluster worker program started by a test, as on another machine: the fixture program with
/// <c>--paralleldsl-worker</c>. Disposing it kills its whole process tree, so no child outlives the test.
/// </summary>
public sealed class WorkerProgram : IDisposable
{
    public const string Key = "cluster-tests-key-0123456789";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProgram(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, line) => Record(line.Data);
        _process.ErrorDataReceived += (_, line) => Record(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts a worker program on <paramref name="queue"/> and waits until it serves it (unless <paramref name="serving"/>
    /// is <see langword="false"/>: a program expected to fail), with <paramref name="arguments"/> after the usual switches
    /// and <paramref name="environment"/> set for it.
    /// </summary>
    public static WorkerProgram Start(
        string uri, string queue, int concurrency = 1, string? log = null, string? key = Key, string? program = null, IEnumerable<string>? prefix = null,
        IEnumerable<string>? arguments = null, IReadOnlyDictionary<string, string>? environment = null, bool serving = true)
    {
        var start = new ProcessStartInfo(prefix is null ? program ?? Path.Combine(BrokerFixture.FixtureDirectory, "ClusterFixture") : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (prefix is not null)
        {
            foreach (string word in prefix)
            {
                start.ArgumentList.Add(word);
            }

            start.ArgumentList.Add(program!);
        }

        foreach (string argument in new[] { "--paralleldsl-worker", uri, "--queue", queue, "--concurrency", concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(arguments ?? []))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[ClusterOptions.KeyVariable] = key;
        start.Environment["CLUSTER_FIXTURE_LOG"] = log ?? string.Empty;
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var worker = new WorkerProgram(Process.Start(start)!);
        if (serving && !worker._serving.Task.Wait(TimeSpan.FromSeconds(60)))
        {
            string output = worker.Output;
            worker.Dispose();
            throw new TimeoutException($"The worker program did not start serving '{queue}' within 60 s. Its output:\n{output}");
        }

        return worker;
    }

    /// <summary>Sends SIGKILL to the worker program alone, as a machine that loses power would (its processes notice and exit).</summary>
    public void KillProgram() => _process.Kill(entireProcessTree: false);

    /// <summary>Waits for the program to exit on its own, and for the last of its output.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        _process.WaitForExit();
        return true;
    }

    /// <summary>Sends SIGTERM and waits for the program to exit.</summary>
    public bool Terminate(TimeSpan timeout)
    {
        const int SigTerm = 15;
        _ = Kill(_process.Id, SigTerm);
        return _process.WaitForExit(timeout);
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited.
        }

        _process.WaitForExit(10_000);
        _process.Dispose();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("serves queue", StringComparison.Ordinal))
        {
            _serving.TrySetResult();
        }
    }
}
