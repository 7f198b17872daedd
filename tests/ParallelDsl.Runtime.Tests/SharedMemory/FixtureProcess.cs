using System.Diagnostics;

namespace ParallelDsl.Runtime.Tests.SharedMemory;

/// <summary>
/// A running instance of the shared-memory fixture program: a real child process, started by default as a worker of
/// this test process's program session. Disposing kills it if it still runs and waits for it, so none outlives a test.
/// </summary>
internal sealed class FixtureProcess : IDisposable
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly List<string> _errors = [];

    private FixtureProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the fixture in <paramref name="mode"/>; as a worker of this session unless <paramref name="asMainProcess"/>.</summary>
    public static FixtureProcess Start(string mode, string[] arguments, bool asMainProcess = false)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SharedMemoryFixture.dll"));
        start.ArgumentList.Add(mode);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (asMainProcess)
        {
            start.Environment.Remove(ProgramSession.EnvironmentVariable);
        }
        else
        {
            start.Environment[ProgramSession.EnvironmentVariable] = ProgramSession.Id;
        }

        var fixture = new FixtureProcess(Process.Start(start) ?? throw new InvalidOperationException("The fixture did not start."));
        fixture._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (fixture._errors)
                {
                    fixture._errors.Add(e.Data);
                }
            }
        };
        fixture._process.BeginErrorReadLine();
        return fixture;
    }

    public static FixtureProcess Start(string mode, params string[] arguments) => Start(mode, arguments, asMainProcess: false);

    /// <summary>Reads the next line the fixture prints, failing the test if none comes within the safety timeout.</summary>
    public string ReadLine()
    {
        Task<string?> line = _process.StandardOutput.ReadLineAsync();
        Assert.True(line.Wait(SafetyTimeout), $"The fixture printed nothing within {SafetyTimeout}. {Errors}");
        return line.Result ?? throw new InvalidOperationException($"The fixture closed its output. {Errors}");
    }

    /// <summary>Waits for the fixture to exit and asserts it succeeded; returns what it printed.</summary>
    public string Succeeds()
    {
        Task<string> output = _process.StandardOutput.ReadToEndAsync();
        Assert.True(_process.WaitForExit(SafetyTimeout), $"The fixture did not exit within {SafetyTimeout}.");
        _process.WaitForExit();
        Assert.True(_process.ExitCode == 0, $"The fixture exited with code {_process.ExitCode}. {Errors}");
        return output.Result;
    }

    /// <summary>Waits for the fixture to exit and asserts it failed; returns what it printed to stderr.</summary>
    public string Fails()
    {
        Assert.True(_process.WaitForExit(SafetyTimeout), $"The fixture did not exit within {SafetyTimeout}.");
        _process.WaitForExit();
        Assert.NotEqual(0, _process.ExitCode);
        return Errors;
    }

    /// <summary>Kills the fixture with SIGKILL, as a crash would end it, and waits until it is gone.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        Assert.True(_process.WaitForExit(SafetyTimeout), "The killed fixture did not exit.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(SafetyTimeout);
        }

        _process.Dispose();
    }

    private string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.Count == 0 ? string.Empty : "Its errors: " + string.Join(Environment.NewLine, _errors);
            }
        }
    }
}
