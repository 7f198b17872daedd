// Benchmark suites for bench/run.sh: `ParallelDsl.Benchmarks <suite> [--smoke]` runs one suite and prints its headline
// figures as `BENCH <name> <value> <unit>` lines; `--list` prints the suite names.
using System.Globalization;

namespace ParallelDsl.Benchmarks;

/// <summary>One headline figure of a suite.</summary>
internal sealed record BenchFigure(string Name, double Value, string Unit)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"BENCH {Name} {Value:0.###} {Unit}");
}

internal static class Program
{
    /// <summary>Every suite by name. To add one, write a class with a <c>Run(bool smoke)</c> and add a line here.</summary>
    private static readonly SortedDictionary<string, Func<bool, IReadOnlyList<BenchFigure>>> Suites = new(StringComparer.Ordinal)
    {
        ["threads"] = ThreadsSuite.Run,
        ["generator"] = GeneratorSuite.Run,
    };

    public static int Main(string[] args)
    {
        if (args is ["--list"])
        {
            Console.WriteLine(string.Join('\n', Suites.Keys));
            return 0;
        }

        if (args.Length is 0 or > 2 || !Suites.TryGetValue(args[0], out var suite) || args.Length == 2 && args[1] != "--smoke")
        {
            Console.Error.WriteLine($"usage: ParallelDsl.Benchmarks <suite> [--smoke] | --list   (suites: {string.Join(", ", Suites.Keys)})");
            return 2;
        }

        IReadOnlyList<BenchFigure> figures = suite(args.Length == 2);
        foreach (BenchFigure figure in figures)
        {
            Console.WriteLine(figure);
        }

        return 0;
    }
}
