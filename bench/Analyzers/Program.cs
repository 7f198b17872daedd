// Measures what the ParallelDsl analyzers add to the compile time of a large project: a synthetic project is written
// to a temporary directory and compiled by the SDK's own C# compiler (csc), alternately without analyzers and with
// the ParallelDsl analyzers, and with a do-nothing control analyzer, and the median times are compared: wall-clock
// time, and the compiler's CPU time, which other work on a busy machine disturbs much less. Any analyzer makes the
// compiler run its analyzer driver; the control measures that cost, and ParallelDsl's own share is what it adds above it.
// Usage: dotnet run -c Release --project bench/Analyzers [-- --lines 100000 --runs 5]
//        dotnet run -c Release --project bench/Analyzers -- --report FOLDER [--implicit-usings]   (every PDSL diagnostic over a source folder)
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Reflection.PortableExecutable;
using ParallelDsl.Benchmarks.Analyzers;

if (Array.IndexOf(args, "--report") is var report and >= 0 && report + 1 < args.Length)
{
    return SourceFolderReport.Run(Path.GetFullPath(args[report + 1]), implicitUsings: args.Contains("--implicit-usings"));
}

int lines = Option("--lines", 100_000);
int runs = Option("--runs", 5);

string work = Directory.CreateTempSubdirectory("paralleldsl-analyzers-bench-").FullName;
try
{
    IReadOnlyList<string> files = SyntheticProject.Create(lines);
    var sources = new List<string>();
    for (int i = 0; i < files.Count; i++)
    {
        string path = Path.Combine(work, $"File{i}.cs");
        File.WriteAllText(path, files[i]);
        sources.Add(path);
    }

    string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
    string dotnetRoot = Path.GetFullPath(Path.Combine(framework, "..", "..", ".."));
    string compiler = Directory.GetFiles(Path.Combine(dotnetRoot, "sdk"), "csc.dll", SearchOption.AllDirectories)
        .Where(path => path.Contains($"{Path.DirectorySeparatorChar}bincore{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        .OrderByDescending(path => path, StringComparer.Ordinal)
        .First();
    string analyzers = Assembly.Load("ParallelDsl.Analyzers").Location;
    string control = Assembly.Load("ParallelDsl.Benchmarks.ControlAnalyzer").Location;

    string[] common =
    [
        "/noconfig", "/nologo", "/target:library", "/langversion:latest", "/nullable:enable", "/deterministic", "/optimize+",
        $"/out:{Path.Combine(work, "Synthetic.dll")}",
        .. Directory.GetFiles(framework, "*.dll").Where(IsManagedAssembly).Select(path => $"/r:{path}"),
        $"/r:{typeof(ParallelDsl.RunInThreadAttribute).Assembly.Location}",
        .. sources,
    ];
    string without = Path.Combine(work, "without.rsp");
    string controlOnly = Path.Combine(work, "control.rsp");
    string with = Path.Combine(work, "with.rsp");
    File.WriteAllLines(without, common.Select(Quote));
    File.WriteAllLines(controlOnly, [.. common.Select(Quote), Quote($"/analyzer:{control}")]);
    File.WriteAllLines(with, [.. common.Select(Quote), Quote($"/analyzer:{analyzers}")]);

    int totalLines = files.Sum(file => file.Split('\n').Length);
    Console.WriteLine($"synthetic project: {files.Count} files, {totalLines:N0} lines (1 unit in {SyntheticProject.ParallelEvery} uses threads and processes)");
    Console.WriteLine($"compiler: {compiler}");
    Console.WriteLine($"{runs} runs each, alternating without / control / with, after one warm-up run of each");
    Console.WriteLine("control: an analyzer that registers the same kinds of actions and does nothing (the analyzer driver's own cost)");

    (TimeSpan warmWithout, _, _) = Compile(compiler, without);
    (TimeSpan warmControl, _, _) = Compile(compiler, controlOnly);
    (TimeSpan warmWith, _, int reported) = Compile(compiler, with);
    Console.WriteLine($"warm-up: without {warmWithout.TotalSeconds:F2} s, control {warmControl.TotalSeconds:F2} s, with {warmWith.TotalSeconds:F2} s ({reported} PDSL warnings reported)");
    var wall = new Runs();
    var cpu = new Runs();
    for (int run = 0; run < runs; run++)
    {
        foreach ((string rsp, List<double> wallRuns, List<double> cpuRuns) in new[]
                 {
                     (without, wall.Without, cpu.Without), (controlOnly, wall.Control, cpu.Control), (with, wall.With, cpu.With),
                 })
        {
            (TimeSpan elapsed, TimeSpan used, _) = Compile(compiler, rsp);
            wallRuns.Add(elapsed.TotalSeconds);
            cpuRuns.Add(used.TotalSeconds);
        }
    }

    Report("wall-clock", wall);
    if (cpu.With.Sum() > 0)
    {
        Report("compiler CPU", cpu);
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

return 0;

static (TimeSpan Elapsed, TimeSpan Cpu, int Reported) Compile(string compilerPath, string responseFile)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    start.ArgumentList.Add(compilerPath);
    start.ArgumentList.Add("@" + responseFile);
    TimeSpan? cpuBefore = ChildCpuTime.Total();
    var watch = Stopwatch.StartNew();
    using Process compiler = Process.Start(start)!;
    Task<string> output = compiler.StandardOutput.ReadToEndAsync();
    Task<string> errors = compiler.StandardError.ReadToEndAsync();
    if (!compiler.WaitForExit(TimeSpan.FromMinutes(10)))
    {
        compiler.Kill(entireProcessTree: true);
        throw new TimeoutException("csc did not finish within 10 minutes.");
    }

    watch.Stop();
    TimeSpan cpu = ChildCpuTime.Total() - cpuBefore ?? TimeSpan.Zero;
    if (compiler.ExitCode != 0)
    {
        throw new InvalidOperationException($"csc failed ({compiler.ExitCode}):\n{output.Result}\n{errors.Result}");
    }

    int reported = output.Result.Split('\n').Count(line => line.Contains("warning PDSL", StringComparison.Ordinal));
    return (watch.Elapsed, cpu, reported);
}

// ParallelDsl's own share is what it adds above the do-nothing control, as a share of the compile without analyzers.
static void Report(string what, Runs runs)
{
    double baseline = Median(runs.Without);
    double control = Median(runs.Control);
    double analyzed = Median(runs.With);
    double own = 100 * (analyzed - control) / baseline;
    Console.WriteLine($"{what}: without analyzers     median {baseline:F2} s (runs: {Join(runs.Without)})");
    Console.WriteLine($"{what}: do-nothing control    median {control:F2} s (runs: {Join(runs.Control)})");
    Console.WriteLine($"{what}: ParallelDsl analyzers median {analyzed:F2} s (runs: {Join(runs.With)})");
    Console.WriteLine($"{what}: analyzer driver (control) adds {100 * (control - baseline) / baseline:F1} %, ParallelDsl's own share {own:F1} % of the compile (goal: < 10 %)");
    string name = what.Replace(' ', '_').Replace('-', '_').ToLowerInvariant();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH analyzers_{name}_without {baseline:F3} s"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH analyzers_{name}_control {control:F3} s"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH analyzers_{name}_with {analyzed:F3} s"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH analyzers_{name}_added {100 * (analyzed - baseline) / baseline:F1} %"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH analyzers_{name}_own {own:F1} %"));
}

static string Quote(string argument) => argument.Contains(' ', StringComparison.Ordinal) ? $"\"{argument}\"" : argument;

static string Join(List<double> values) => string.Join(", ", values.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)));

static double Median(List<double> values)
{
    double[] sorted = [.. values.Order()];
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static bool IsManagedAssembly(string path)
{
    using FileStream stream = File.OpenRead(path);
    using var reader = new PEReader(stream);
    return reader.HasMetadata;
}

int Option(string name, int fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>The times of one measure (wall-clock or CPU) for the three compiles.</summary>
internal sealed class Runs
{
    public List<double> Without { get; } = [];

    public List<double> Control { get; } = [];

    public List<double> With { get; } = [];
}
