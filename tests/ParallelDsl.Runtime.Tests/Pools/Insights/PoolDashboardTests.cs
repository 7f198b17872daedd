using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ParallelDsl;
using static ParallelDsl.Runtime.Tests.Pools.PoolProcessMethods;

namespace ParallelDsl.Runtime.Tests.Pools.Insights;

/// <summary>
/// <see cref="PoolDashboard"/> over a pool of real worker processes: its token rule over plain HTTP, and what a real
/// headless Chromium (tests/Browser/dashboard.mjs, made ready by scripts/browser.sh) shows on the page, compared with
/// the pool's own counters.
/// </summary>
public sealed class PoolDashboardTests : WorkerProcessTest
{
    private static readonly string Root = FindRoot();

    [Fact]
    public async Task Requests_without_the_token_are_refused_and_unknown_paths_are_not_found()
    {
        using var pool = new ProcessPool(workers: 1);
        using PoolDashboard dashboard = pool.ServeDashboard();
        using var http = new HttpClient { Timeout = Safety };
        Uri origin = new(dashboard.Url.GetLeftPart(UriPartial.Authority));

        Assert.Equal("127.0.0.1", dashboard.Url.Host);
        Assert.Equal(32, dashboard.Token.Length);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(origin)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(new Uri(origin, "/insights.json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(new Uri(origin, $"/{new string('0', 32)}/insights.json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(dashboard.Url, "secrets"))).StatusCode);

        using JsonDocument json = JsonDocument.Parse(await http.GetStringAsync(new Uri(dashboard.Url, "insights.json")));
        Assert.Equal(pool.Name, json.RootElement.GetProperty("pool").GetString());
        Assert.Contains("<svg", await http.GetStringAsync(dashboard.Url), StringComparison.Ordinal);

        dashboard.Dispose();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync(dashboard.Url));
    }

    [Fact]
    public void A_headless_browser_shows_the_pools_counters_a_running_task_and_a_replaced_worker()
    {
        Run(Path.Combine(Root, "scripts", "browser.sh"), TimeSpan.FromMinutes(10));
        string marker = Path.Combine(Folder, "killed-once");
        string log = Log("dashboard");
        using var pool = new ProcessPool(workers: 2, retries: 1);
        pool.Map(KillOnce, [marker], timeout: Safety);
        int killed = int.Parse(File.ReadAllText(marker));
        Probe[] probes = [.. Enumerable.Range(0, 40).Select(i => new Probe(log, i, 5, i % 13 == 6 ? StepAction.Throw : StepAction.Answer))];
        var failure = Assert.Throws<AggregateException>(() => pool.Map(Step, probes, chunkSize: 1, timeout: Safety));
        Assert.Equal(3, failure.InnerExceptions.Count);
        Assert.True(SpinWait.SpinUntil(() => pool.Insights.WorkersStarted == 3, Safety), "The killed worker was not replaced.");
        using PoolDashboard dashboard = pool.ServeDashboard();

        // Idle: the page shows exactly the pool's counters.
        JsonElement idle = Browse(dashboard.Url, mode: "idle", screenshot: "");
        PoolInsights insights = pool.Insights;
        Assert.Equal("live", idle.GetProperty("status").GetString());
        Assert.Equal(pool.Name, idle.GetProperty("pool").GetString());
        Assert.Equal(38, idle.GetProperty("done").GetInt64());
        Assert.Equal(insights.TasksDone, idle.GetProperty("done").GetInt64());
        Assert.Equal(insights.TasksFailed, idle.GetProperty("failed").GetInt64());
        Assert.Equal(1, idle.GetProperty("retried").GetInt64());
        Assert.Equal(1, idle.GetProperty("lost").GetInt64());
        JsonElement[] rows = [.. idle.GetProperty("workers").EnumerateArray()];
        Assert.Equal(2, rows.Length);
        foreach (WorkerInsights worker in insights.Workers)
        {
            JsonElement row = Assert.Single(rows, row => row.GetProperty("slot").GetInt32() == worker.Slot);
            Assert.Equal(worker.WorkerName, row.GetProperty("name").GetString());
            Assert.Equal(worker.ProcessId.ToString(), row.GetProperty("pid").GetString());
            Assert.Equal(worker.TasksDone.ToString(), row.GetProperty("done").GetString());
            Assert.Equal(worker.TasksFailed.ToString(), row.GetProperty("failed").GetString());
            Assert.Equal("idle", row.GetProperty("state").GetString());
            Assert.EndsWith(" MiB", row.GetProperty("memory").GetString(), StringComparison.Ordinal);
            Assert.Equal(worker.WasReplaced, row.GetProperty("isReplaced").GetBoolean());
        }

        JsonElement replaced = Assert.Single(rows, row => row.GetProperty("isReplaced").GetBoolean());
        Assert.Contains($"(pid {killed}) died", replaced.GetProperty("replaced").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(killed.ToString(), replaced.GetProperty("pid").GetString());
        JsonElement[] failures = [.. idle.GetProperty("failures").EnumerateArray()];
        Assert.Equal(3, failures.Length);
        Assert.All(failures, shown => Assert.Contains("System.IO.InvalidDataException: bad value", shown.GetProperty("summary").GetString(), StringComparison.Ordinal));
        Assert.All(failures, shown => Assert.Contains("PoolProcessMethods.Step", shown.GetProperty("stackTrace").GetString(), StringComparison.Ordinal));

        // Live: a task shows as running on its worker while it runs (until the test lets it end). (A file named by
        // PARALLELDSL_DASHBOARD_SCREENSHOT gets a picture of the page at that moment, as docs/pools-dashboard.png.)
        string release = Path.Combine(Folder, "release");
        PoolTask<int> waiting = pool.Submit(DashboardTestMethods.WaitForFile, release);
        JsonElement running = Browse(dashboard.Url, mode: "running", Environment.GetEnvironmentVariable("PARALLELDSL_DASHBOARD_SCREENSHOT") ?? "");
        File.WriteAllText(release, "");
        JsonElement busy = Assert.Single(running.GetProperty("workers").EnumerateArray(), row => row.GetProperty("state").GetString() == "running");
        Assert.Contains("WaitForFile", busy.GetProperty("task").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("#0", busy.GetProperty("task").GetString(), StringComparison.Ordinal);
        Assert.True(waiting.GetResult(Safety) > 0);
    }

    private static JsonElement Browse(Uri url, string mode, string screenshot)
    {
        string output = Run("node", TimeSpan.FromMinutes(2), Path.Combine(Root, "tests", "Browser", "dashboard.mjs"), url.ToString(), mode, screenshot);
        return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.Clone();
    }

    private static string Run(string program, TimeSpan limit, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"{program} did not finish within {limit}: {error.Result}");
        }

        Assert.True(process.ExitCode == 0, $"{program} failed ({process.ExitCode}): {error.Result}");
        return output.Result;
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ParallelDsl.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (ParallelDsl.sln) was not found above the test's folder.");
    }
}

/// <summary>The dashboard test's task that runs until the test lets it end.</summary>
public static partial class DashboardTestMethods
{
    /// <summary>Waits (up to a minute) until <paramref name="path"/> exists; returns how many times it looked.</summary>
    [RunInProcess]
    public static int WaitForFile(string path)
    {
        int looks = 1;
        for (; !File.Exists(path) && looks < 1200; looks++)
        {
            Thread.Sleep(50);
        }

        return looks;
    }
}
