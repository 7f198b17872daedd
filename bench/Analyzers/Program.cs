// Measures what the ParallelDsl analyzers add to the compile time of a large project: a synthetic project is written
// to a temporary directory and compiled by the SDK's own C# compiler (csc), alternately without analyzers and with
// the ParallelDsl analyzers, and the median times are compared: wall-clock time, and the compiler's CPU time, which
// other work on a busy machine disturbs much less.
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

    string[] common =
    [
        "/noconfig", "/nologo", "/target:library", "/langversion:latest", "/nullable:enable", "/deterministic", "/optimize+",
        $"/out:{Path.Combine(work, "Synthetic.dll")}",
        .. Directory.GetFiles(framework, "*.dll").Where(IsManagedAssembly).Select(path => $"/r:{path}"),
        $"/r:{typeof(ParallelDsl.RunInThreadAttribute).Assembly.Location}",
        .. sources,
    ];
    string without = Path.Combine(work, "without.rsp");
    string with = Path.Combine(work, "with.rsp");
    File.WriteAllLines(without, common.Select(Quote));
    File.WriteAllLines(with, [.. common.Select(Quote), Quote($"/analyzer:{analyzers}")]);

    int totalLines = files.Sum(file => file.Split('\n').Length);
    Console.WriteLine($"synthetic project: {files.Count} files, {totalLines:N0} lines (1 unit in {SyntheticProject.ParallelEvery} uses threads and processes)");
    Console.WriteLine($"compiler: {compiler}");
    Console.WriteLine($"{runs} runs each, alternating, after one warm-up run of each");

    (TimeSpan warmWithout, _, _) = Compile(compiler, without);
    (TimeSpan warmWith, _, int reported) = Compile(compiler, with);
    Console.WriteLine($"warm-up: without {warmWithout.TotalSeconds:F2} s, with {warmWith.TotalSeconds:F2} s ({reported} PDSL warnings reported)");
    var wallWithout = new List<double>();
    var wallWith = new List<double>();
    var cpuWithout = new List<double>();
    var cpuWith = new List<double>();
    for (int run = 0; run < runs; run++)
    {
        (TimeSpan wall, TimeSpan cpu, _) = Compile(compiler, without);
        wallWithout.Add(wall.TotalSeconds);
        cpuWithout.Add(cpu.TotalSeconds);
        (wall, cpu, _) = Compile(compiler, with);
        wallWith.Add(wall.TotalSeconds);
        cpuWith.Add(cpu.TotalSeconds);
    }

    Report("wall-clock", wallWithout, wallWith);
    if (cpuWith.Sum() > 0)
    {
        Report("compiler CPU", cpuWithout, cpuWith);
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

static void Report(string what, List<double> without, List<double> with)
{
    double baseline = Median(without);
    double analyzed = Median(with);
    Console.WriteLine($"{what}: without analyzers median {baseline:F2} s (runs: {Join(without)})");
    Console.WriteLine($"{what}: with analyzers    median {analyzed:F2} s (runs: {Join(with)})");
    Console.WriteLine($"{what}: added by the analyzers {(analyzed - baseline) / baseline:P1} (goal: < 10 %)");
    string name = what.Replace(' ', '_').Replace('-', '_').ToLowerInvariant();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH analyzers_{name}_without {baseline:F3} s"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH analyzers_{name}_with {analyzed:F3} s"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH analyzers_{name}_added {100 * (analyzed - baseline) / baseline:F1} %"));
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
