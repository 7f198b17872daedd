// The tour: runs every sample in turn, each under a heading, as its own process, and fails if one fails.
// `dotnet run --project samples/Tour` runs them all; `dotnet run --project samples/Tour -- Threads` runs some.
using System;
using System.Collections.Generic;
using System.Linq;

namespace ParallelDsl.Samples.Tour;

internal static class Program
{
    public static int Main(string[] args)
    {
        IReadOnlyList<SampleInfo> samples = args.Length == 0 ? SampleCatalog.All : args.Select(SampleCatalog.Find).ToList();
        var failed = new List<string>();

        foreach (SampleInfo sample in samples)
        {
            Console.WriteLine();
            Console.WriteLine($"==== {sample.Name}: {sample.Title} ====");
            SampleRun run = SampleRunner.Run(sample.Name, onOutput: Console.WriteLine, onError: Console.Error.WriteLine);
            if (!run.Succeeded)
            {
                string why = run.TimedOut ? $"did not finish within {SampleRunner.DefaultTimeout} and was stopped" : $"exited with code {run.ExitCode}";
                Console.Error.WriteLine($"!!!! sample {sample.Name} {why}");
                failed.Add(sample.Name);
            }
        }

        Console.WriteLine();
        if (failed.Count > 0)
        {
            Console.Error.WriteLine($"tour failed: {failed.Count} of {samples.Count} samples failed ({string.Join(", ", failed)})");
            return 1;
        }

        Console.WriteLine($"tour done: {samples.Count} of {samples.Count} samples ran successfully");
        return 0;
    }
}
