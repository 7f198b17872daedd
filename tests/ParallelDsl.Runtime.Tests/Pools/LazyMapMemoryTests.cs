using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// A map of 10,000,000 ints with <c>maxActiveTasks</c> keeps the parent's memory flat, measured as the growth of its
/// peak resident memory (VmHWM) over a warm-up map. VmHWM is the whole process's, so each map runs in a process of
/// its own (tests/Fixtures/LazyMapFixture). The same map with the input read at once is the contrast: it must grow
/// far past the bound, or the measurement would prove nothing.
/// </summary>
public sealed class LazyMapMemoryTests
{
    private const int Items = 10_000_000;

    /// <summary>What the process may grow by whatever the input's length: the GC's working budget and the windows in flight.</summary>
    private const long FlatKib = 32 * 1024;

    private static readonly TimeSpan Safety = TimeSpan.FromMinutes(3);

    private static readonly string FixtureDirectory = typeof(LazyMapMemoryTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "LazyMapFixtureDirectory").Value!;

    [Fact]
    public async Task MapUnordered_of_ten_million_items_keeps_peak_memory_flat_and_reading_at_once_does_not()
    {
        long lazy = await GrowthKib("unordered", maxActiveTasks: 10_000);
        long eager = await GrowthKib("unordered", maxActiveTasks: 0);

        Assert.True(lazy < FlatKib, $"the lazy map grew the peak by {lazy} KiB (bound {FlatKib} KiB)");
        Assert.True(eager > 2 * FlatKib, $"the map that reads its input at once grew the peak by only {eager} KiB: the measurement cannot tell");
    }

    [Fact]
    public async Task Map_of_ten_million_items_grows_by_its_results_only()
    {
        // The results, held twice while the windows' arrays are copied into the one returned, and the flat part.
        long resultsKib = 2L * Items * sizeof(int) / 1024;

        long growth = await GrowthKib("ordered", maxActiveTasks: 10_000);

        Assert.True(growth < resultsKib + FlatKib, $"Map grew the peak by {growth} KiB (bound {resultsKib + FlatKib} KiB)");
    }

    private static async Task<long> GrowthKib(string mode, int maxActiveTasks)
    {
        var startInfo = new ProcessStartInfo(Path.Combine(FixtureDirectory, "LazyMapFixture"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(mode);
        startInfo.ArgumentList.Add(Items.ToString(CultureInfo.InvariantCulture));
        startInfo.ArgumentList.Add(maxActiveTasks.ToString(CultureInfo.InvariantCulture));
        using Process fixture = Process.Start(startInfo)!;
        Task<string> output = fixture.StandardOutput.ReadToEndAsync();
        Task<string> error = fixture.StandardError.ReadToEndAsync();
        try
        {
            await fixture.WaitForExitAsync().WaitAsync(Safety);
        }
        catch (TimeoutException)
        {
            fixture.Kill(entireProcessTree: true);
            throw;
        }

        string stdout = await output;
        Assert.True(fixture.ExitCode == 0, $"LazyMapFixture {mode} exited with {fixture.ExitCode}:\n{stdout}\n{await error}");
        string[] words = stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return long.Parse(words[Array.IndexOf(words, "growth_kib") + 1], CultureInfo.InvariantCulture);
    }
}
