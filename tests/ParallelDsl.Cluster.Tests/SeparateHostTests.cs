using System.Diagnostics;
using System.Globalization;
using ParallelDsl.Tests.Fixtures;

namespace ParallelDsl.Cluster.Tests;

/// <summary>
/// A worker program as on another machine: a copy of the program in another folder, started in a network namespace
/// of its own that reaches the broker only over a veth pair, with its loopback down. No Unix socket, shared memory,
/// shared path or loopback address between client and worker can be what makes the map work.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class SeparateHostTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public void A_copy_of_the_program_in_its_own_network_namespace_serves_a_map_over_the_veth_link()
    {
        int id = Environment.ProcessId % 200 + 20;
        string name = string.Create(CultureInfo.InvariantCulture, $"pdsl{id}");
        string hostSide = name + "h";
        string workerSide = name + "w";
        string hostAddress = string.Create(CultureInfo.InvariantCulture, $"10.231.{id}.1");
        string workerAddress = string.Create(CultureInfo.InvariantCulture, $"10.231.{id}.2");
        string folder = Path.Combine(Path.GetTempPath(), $"pdsl-other-host-{Environment.ProcessId}");
        string brokerFolder = Path.Combine(folder, "broker");
        string programFolder = Path.Combine(folder, "program");
        try
        {
            Ip("netns", "add", name);
            Ip("link", "add", hostSide, "type", "veth", "peer", "name", workerSide);
            Ip("link", "set", workerSide, "netns", name);
            Ip("addr", "add", hostAddress + "/30", "dev", hostSide);
            Ip("link", "set", hostSide, "up");
            Ip("netns", "exec", name, "ip", "addr", "add", workerAddress + "/30", "dev", workerSide);
            Ip("netns", "exec", name, "ip", "link", "set", workerSide, "up");

            CopyFolder(BrokerFixture.FixtureDirectory, programFolder);
            string uri = BrokerFixture.RunScript("start", brokerFolder, hostAddress).Trim();
            try
            {
                string queue = Queues.New();
                using var worker = WorkerProgram.Start(uri, queue, concurrency: 2, program: Path.Combine(programFolder, "ClusterFixture"), prefix: ["netns", "exec", name]);
                using ClusterPool pool = ClusterPool.Connect(uri, new ClusterOptions { Queue = queue, Key = WorkerProgram.Key, TaskExpiry = Queues.TaskExpiry });

                Assert.Equal(Enumerable.Range(0, 1000).Select(x => x * 2), pool.Map(ClusterTasks.Double, Enumerable.Range(0, 1000), timeout: Patience));
                var failure = Assert.Throws<AggregateException>(() => pool.Map(ClusterTasks.Fail, [1], timeout: Patience));
                var remote = Assert.IsType<RemoteException>(failure.InnerExceptions[0].InnerException);
                Assert.True(remote.ProcessId > 0);
                Assert.Contains("state DOWN", Ip("netns", "exec", name, "ip", "-o", "link", "show", "lo"), StringComparison.Ordinal);
            }
            finally
            {
                BrokerFixture.RunScript("stop", brokerFolder);
            }
        }
        finally
        {
            TryIp("netns", "pids", name, out string pids);
            foreach (string pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                TryKill(int.Parse(pid, CultureInfo.InvariantCulture));
            }

            TryIp("link", "del", hostSide, out _);
            TryIp("netns", "del", name, out _);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static string Ip(params string[] arguments)
    {
        if (!TryIp(arguments[0], arguments[1..], out string output, out string error))
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed: {error}");
        }

        return output;
    }

    private static bool TryIp(string command, string argument, string name, out string output) => TryIp(command, [argument, name], out output, out _);

    private static bool TryIp(string command, string argument, out string output) => TryIp(command, [argument], out output, out _);

    private static bool TryIp(string command, string[] arguments, out string output, out string error)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(command);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process ip = Process.Start(start)!;
        output = ip.StandardOutput.ReadToEnd();
        error = ip.StandardError.ReadToEnd();
        ip.WaitForExit();
        return ip.ExitCode == 0;
    }

    private static void TryKill(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (ArgumentException)
        {
            // It has exited.
        }
        catch (InvalidOperationException)
        {
            // It has exited.
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            // File.Copy keeps the mode bits on Unix, so the program stays executable.
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
