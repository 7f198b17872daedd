using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using ParallelDsl;

// Usage: dotnet run -c Release --project bench/SharedMemoryIpc -- [MiB=256] [rounds=5]
// For each round, starts a child that is already running (its start-up is not measured), then hands it the array:
//   shared: the child gets SharedArray.HandleName, opens the same memory, reads element 0, then sums every element;
//   pipe:   the parent writes the bytes through the child's stdin (the stand-in for a codec copying the argument);
//           the child can read element 0 only once the whole message has arrived, then sums every element.
// Reported: the median time from the hand-off until the child has read element 0 ("first read") and until it has
// summed the whole array ("all read"), as the parent sees the child's replies. It also reports what one segment
// costs to create (memfd_create + ftruncate + mmap + header) and to open from its handle name (/proc/<pid>/fd + mmap).
if (args.Length > 0 && args[0] is "shared-child" or "pipe-child")
{
    return args[0] == "shared-child" ? SharedChild() : PipeChild();
}

int mebibytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 256;
int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
int length = mebibytes * 1024 * 1024;

using var array = new SharedArray<byte>(length);
for (int i = 0; i < length; i++)
{
    array[i] = (byte)i;
}

byte[] managed = array.ToArray();
long expectedSum = Sum(managed);
Console.WriteLine($"Handing {mebibytes} MiB to a running child process, {rounds} rounds, median:");
Report("shared memory (SharedArray handle)", Measure(rounds, "shared-child", expectedSum, stdin =>
{
    stdin.Write(System.Text.Encoding.UTF8.GetBytes(array.HandleName + "\n"));
    stdin.Flush();
}));
Report("pipe copy (codec stand-in)", Measure(rounds, "pipe-child", expectedSum, stdin =>
{
    Span<byte> header = stackalloc byte[sizeof(long)];
    BinaryPrimitives.WriteInt64LittleEndian(header, managed.Length);
    stdin.Write(header);
    stdin.Write(managed);
    stdin.Flush();
}));
ReportSegmentCosts();
return 0;

static void ReportSegmentCosts()
{
    const int Count = 2_000;
    long started = Stopwatch.GetTimestamp();
    for (int i = 0; i < Count; i++)
    {
        new Shared<long>(i).Dispose();
    }

    double create = Stopwatch.GetElapsedTime(started).TotalMicroseconds / Count;
    using var original = new Shared<long>(1);
    started = Stopwatch.GetTimestamp();
    for (int i = 0; i < Count; i++)
    {
        Shared<long>.OpenHandle(original.HandleName).Dispose();
    }

    double open = Stopwatch.GetElapsedTime(started).TotalMicroseconds / Count;
    Console.WriteLine($"  one segment: create and dispose {create:F1} µs, open from its handle name and dispose {open:F1} µs");
}

static void Report(string name, (double First, double All) times) =>
    Console.WriteLine($"  {name,-36} first read {times.First,9:F2} ms   all read {times.All,9:F2} ms");

static (double First, double All) Measure(int rounds, string mode, long expectedSum, Action<Stream> handOff)
{
    var first = new List<double>();
    var all = new List<double>();
    for (int round = 0; round < rounds; round++)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SharedMemoryIpc.dll"));
        start.ArgumentList.Add(mode);
        using Process child = Process.Start(start)!;
        Expect(child.StandardOutput.ReadLine(), "ready");

        long handedOff = Stopwatch.GetTimestamp();
        Task writing = Task.Run(() => handOff(child.StandardInput.BaseStream));
        Expect(child.StandardOutput.ReadLine(), "first");
        first.Add(Stopwatch.GetElapsedTime(handedOff).TotalMilliseconds);
        string? sum = child.StandardOutput.ReadLine();
        all.Add(Stopwatch.GetElapsedTime(handedOff).TotalMilliseconds);
        writing.Wait();
        Expect(sum, expectedSum.ToString(CultureInfo.InvariantCulture));
        child.StandardInput.Close();
        child.WaitForExit();
    }

    return (Median(first), Median(all));
}

static void Expect(string? actual, string expected)
{
    if (actual != expected)
    {
        throw new InvalidOperationException($"The child replied '{actual}', expected '{expected}'.");
    }
}

static double Median(List<double> values)
{
    values.Sort();
    return values[values.Count / 2];
}

static long Sum(ReadOnlySpan<byte> bytes)
{
    long sum = 0;
    foreach (byte b in bytes)
    {
        sum += b;
    }

    return sum;
}

static int SharedChild()
{
    Console.WriteLine("ready");
    string handle = Console.ReadLine()!;
    using SharedArray<byte> array = SharedArray<byte>.OpenHandle(handle);
    _ = array[0];
    Console.WriteLine("first");
    Console.WriteLine(Sum(array.AsSpan()).ToString(CultureInfo.InvariantCulture));
    return 0;
}

static int PipeChild()
{
    Console.WriteLine("ready");
    using Stream stdin = Console.OpenStandardInput();
    Span<byte> header = stackalloc byte[sizeof(long)];
    stdin.ReadExactly(header);
    byte[] data = new byte[BinaryPrimitives.ReadInt64LittleEndian(header)];
    stdin.ReadExactly(data);
    _ = data[0];
    Console.WriteLine("first");
    Console.WriteLine(Sum(data).ToString(CultureInfo.InvariantCulture));
    return 0;
}
