using ParallelDsl.Fuzz;
using SharpFuzz;

// dotnet ParallelDsl.Fuzz.dll fuzz <target>            run under afl-fuzz (reads inputs through SharpFuzz)
// dotnet ParallelDsl.Fuzz.dll replay <target> <dir>... run every file of the folders once; exit 1 on a finding
// dotnet ParallelDsl.Fuzz.dll seed <corpus-root>       write the real inputs of every target as seed files
// dotnet ParallelDsl.Fuzz.dll list                     the targets, one per line
if (args is ["list"])
{
    Console.WriteLine(string.Join(Environment.NewLine, Targets.All.Keys));
    return 0;
}

if (args.Length >= 2 && args[0] == "seed")
{
    foreach ((string seedTarget, string name, byte[] bytes) in Targets.Seeds())
    {
        string folder = Path.Combine(args[1], seedTarget);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, name), bytes);
    }

    return 0;
}

if (args.Length < 2 || !Targets.All.TryGetValue(args[1], out Action<byte[]>? target))
{
    Console.Error.WriteLine($"usage: fuzz <target> | replay <target> <folder>... | seed <folder>; targets: {string.Join(", ", Targets.All.Keys)}");
    return 2;
}

if (args[0] == "fuzz")
{
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        Run(target, memory.ToArray());
    });
    return 0;
}

int findings = 0, inputs = 0;
foreach (string file in args.Skip(2).Where(Directory.Exists).SelectMany(Directory.EnumerateFiles).Where(f => !f.EndsWith("README.txt", StringComparison.Ordinal)))
{
    inputs++;
    try
    {
        Run(target, File.ReadAllBytes(file));
    }
    catch (Exception exception)
    {
        findings++;
        Console.WriteLine($"finding: {args[1]} on {file} ({new FileInfo(file).Length} bytes): {exception}");
    }
}

Console.WriteLine($"{args[1]}: {inputs} inputs replayed, {findings} findings");
return findings == 0 ? 0 : 1;

// A clean rejection is the decoder working; any other exception escapes and is a finding.
static void Run(Action<byte[]> target, byte[] bytes)
{
    try
    {
        target(bytes);
    }
    catch (Exception exception) when (Targets.IsCleanRejection(exception))
    {
    }
}
