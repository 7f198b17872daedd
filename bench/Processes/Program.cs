using System.Diagnostics;
using System.Globalization;
using ParallelDsl;

namespace ParallelDsl.Benchmarks.Processes;

/// <summary>
/// Prints one line per measurement: name, median and mean milliseconds over the runs, and a throughput where it
/// applies, each followed by its <c>BENCH processes.{variant}.{figure} {value} {unit}</c> line. <c>hello</c> is the
/// baseline: a bare start of this program that prints and exits.
/// Usage: <c>ProcessBench [runs] [variant] [largest KiB]</c>.
/// </summary>
internal static partial class Program
{
    private static int Main(string[] args)
    {
        MainGuard.Enter(args);
        if (args is ["hello"])
        {
            Console.WriteLine("hello");
            return 0;
        }

        int runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        string variant = args.Length > 1 ? args[1] : "dotnet";
        int largest = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64 * 1024;
        Console.WriteLine($"# ParallelDsl processes ({variant}), {runs} runs each, {Environment.ProcessorCount} cores, {(Environment.ProcessPath ?? "?")}");

        double[] hello = Measure(runs, StartHello);
        Report("hello program (start → exit)", hello);
        Bench(variant, "hello", Median(hello), "ms");
        double[] square = Measure(runs, () => StartSquare(3).Join());
        Report("StartSquare(3).Join() (cold start → result)", square);
        Bench(variant, "cold_start", Median(square), "ms");
        foreach (int kibibytes in ((int[])[64, 1024, 64 * 1024]).Where(size => size <= largest))
        {
            byte[] data = new byte[kibibytes * 1024];
            Random.Shared.NextBytes(data);
            double[] times = Measure(Math.Max(3, runs / 4), () => Check(StartEcho(data).Join(), data));
            double mebibytesPerSecond = 2 * kibibytes / 1024.0 / (Median(times) / 1000);
            Report($"StartEcho({kibibytes} KiB).Join() (start → round trip)", times, $"{mebibytesPerSecond:0.0} MiB/s both ways incl. start");
            Bench(variant, $"echo_{kibibytes}KiB", mebibytesPerSecond, "MiB/s");
        }

        return 0;
    }

    [RunInProcess]
    private static int Square(int n) => n * n;

    [RunInProcess]
    private static byte[] Echo(byte[] data) => data;

    private static void StartHello()
    {
        var startInfo = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            startInfo.ArgumentList.Add(typeof(Program).Assembly.Location);
        }

        startInfo.ArgumentList.Add("hello");
        using Process hello = Process.Start(startInfo)!;
        hello.StandardOutput.ReadToEnd();
        hello.WaitForExit();
    }

    private static void Check(byte[] echoed, byte[] sent)
    {
        if (!echoed.AsSpan().SequenceEqual(sent))
        {
            throw new InvalidOperationException("The echoed bytes differ from the bytes sent.");
        }
    }

    private static double[] Measure(int runs, Action action)
    {
        action();
        double[] times = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return times;
    }

    private static double Median(double[] times)
    {
        double[] sorted = [.. times.Order()];
        return sorted[sorted.Length / 2];
    }

    private static void Bench(string variant, string figure, double value, string unit) =>
        Console.WriteLine(FormattableString.Invariant($"BENCH processes.{variant}.{figure} {value:0.00} {unit}"));

    private static void Report(string name, double[] times, string extra = "") =>
        Console.WriteLine($"{name,-50} median {Median(times),8:0.0} ms  mean {times.Average(),8:0.0} ms  {extra}");
}
