using System.Diagnostics;
using System.Globalization;
using ParallelDsl;

// Usage: dotnet bench/QueueIpc/bin/Release/net10.0/QueueIpc.dll [items=2000000] [messages=16] [rounds=3] [pipeRingBytes=Pipe.DefaultCapacityBytes]
// queue: a running child opens a CrossProcessQueue<int>, waits for "go" on its stdin, puts the items and exits; the
//        parent times from "go" until it has taken the last item. Reported: items per second (median round).
// runs:  the same with PutMany in runs of 1024 items and GetMany into a 4096-item buffer.
// pipe:  a running child opens one end of a Pipe<byte[]>, receives 64 MiB messages (Receive: a new array each;
//        ReceiveInto: one reused buffer) and answers with an empty message once it has them all; the parent times
//        from its first send to the answer. Reported: GiB per second (median), and one in-process copy for scale.
// The child's start-up is not measured. Ends with BENCH lines.
if (args.Length > 0 && args[0] is "queue-child" or "queue-runs-child")
{
    return QueueChild(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), runs: args[0] == "queue-runs-child");
}

if (args.Length > 0 && args[0] is "pipe-child" or "pipe-into-child")
{
    return PipeChild(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), reuse: args[0] == "pipe-into-child");
}

int items = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000_000;
int messages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
int rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
int pipeRing = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : Pipe.DefaultCapacityBytes;
const int MessageBytes = 64 * 1024 * 1024;

double queueRate = items > 0 ? Median(rounds, () => QueueRound(items, runs: false)) : 0;
Console.WriteLine($"  queue of ints, child to parent, Put/Get:         {queueRate:N0} items/s ({items:N0} items, median of {rounds})");
double runsRate = items > 0 ? Median(rounds, () => QueueRound(items * 4, runs: true)) : 0;
Console.WriteLine($"  queue of ints, child to parent, PutMany/GetMany: {runsRate:N0} items/s ({items * 4:N0} items, runs of 1024, median of {rounds})");
double pipeRate = Median(rounds, () => PipeRound(messages, "pipe-child"));
Console.WriteLine($"  pipe, 64 MiB byte[] messages, Receive:     {pipeRate:F2} GiB/s ({messages} messages, median of {rounds})");
double pipeIntoRate = Median(rounds, () => PipeRound(messages, "pipe-into-child"));
Console.WriteLine($"  pipe, 64 MiB byte[] messages, ReceiveInto: {pipeIntoRate:F2} GiB/s ({messages} messages, median of {rounds})");
double copyRate = Median(rounds, CopyRound);
Console.WriteLine($"  one in-process copy of 64 MiB (this machine's ceiling for one copy): {copyRate:F2} GiB/s");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH ipc_queue_ints_per_s {queueRate:F0} items/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH ipc_queue_runs_ints_per_s {runsRate:F0} items/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH ipc_pipe_64mib_gib_per_s {pipeRate:F2} GiB/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH ipc_pipe_64mib_receive_into_gib_per_s {pipeIntoRate:F2} GiB/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH ipc_memcpy_64mib_gib_per_s {copyRate:F2} GiB/s"));
return 0;

double QueueRound(int count, bool runs)
{
    using var queue = new CrossProcessQueue<int>();
    using Process child = StartChild(runs ? "queue-runs-child" : "queue-child", queue.HandleName, count);
    int[] buffer = new int[4096];
    long started = Stopwatch.GetTimestamp();
    child.StandardInput.WriteLine("go");
    child.StandardInput.Flush();
    long sum = 0;
    if (runs)
    {
        for (int received = 0; received < count;)
        {
            int taken = queue.GetMany(buffer);
            foreach (int item in buffer.AsSpan(0, taken))
            {
                sum += item;
            }

            received += taken;
        }
    }
    else
    {
        for (int i = 0; i < count; i++)
        {
            sum += queue.Get();
        }
    }

    double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    Check(sum == (long)count * (count - 1) / 2, "the queue delivered other items than were put");
    child.WaitForExit();
    return count / seconds;
}

double PipeRound(int count, string mode)
{
    (PipeEnd<byte[]> mine, PipeEnd<byte[]> theirs) = Pipe.Create<byte[]>(pipeRing);
    using (mine)
    {
        using Process child = StartChild(mode, theirs.HandleName, count);
        theirs.Dispose();
        byte[] message = new byte[MessageBytes];
        Random.Shared.NextBytes(message);
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            mine.Send(message);
        }

        byte[] answer = mine.Receive();
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Check(answer.Length == 0, "the child answered with data");
        mine.Dispose();
        child.WaitForExit();
        return (double)count * MessageBytes / (1L << 30) / seconds;
    }
}

static double CopyRound()
{
    byte[] source = new byte[MessageBytes];
    byte[] target = new byte[MessageBytes];
    Random.Shared.NextBytes(source);
    source.CopyTo(target, 0);
    long started = Stopwatch.GetTimestamp();
    for (int i = 0; i < 4; i++)
    {
        source.CopyTo(target, 0);
    }

    return 4.0 * MessageBytes / (1L << 30) / Stopwatch.GetElapsedTime(started).TotalSeconds;
}

static Process StartChild(string mode, string handle, int count)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true };
    start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "QueueIpc.dll"));
    start.ArgumentList.Add(mode);
    start.ArgumentList.Add(handle);
    start.ArgumentList.Add(count.ToString(CultureInfo.InvariantCulture));
    Process child = Process.Start(start)!;
    Check(child.StandardOutput.ReadLine() == "ready", "the child did not start");
    return child;
}

static int QueueChild(string handle, int count, bool runs)
{
    using var queue = CrossProcessQueue<int>.OpenHandle(handle);
    int[] run = new int[1024];
    Console.WriteLine("ready");
    _ = Console.ReadLine();
    if (!runs)
    {
        for (int i = 0; i < count; i++)
        {
            queue.Put(i);
        }

        return 0;
    }

    for (int next = 0; next < count; next += run.Length)
    {
        int length = Math.Min(run.Length, count - next);
        for (int i = 0; i < length; i++)
        {
            run[i] = next + i;
        }

        queue.PutMany(run.AsSpan(0, length));
    }

    return 0;
}

static int PipeChild(string handle, int count, bool reuse)
{
    using var end = PipeEnd<byte[]>.OpenHandle(handle);
    Console.WriteLine("ready");
    byte[] buffer = new byte[MessageBytes];
    for (int i = 0; i < count; i++)
    {
        Check((reuse ? end.ReceiveInto(buffer) : end.Receive().Length) == MessageBytes, "a message arrived cut");
    }

    end.Send([]);
    return 0;
}

static void Check(bool condition, string failure)
{
    if (!condition)
    {
        throw new InvalidOperationException($"Benchmark check failed: {failure}.");
    }
}

static double Median(int rounds, Func<double> round)
{
    var values = Enumerable.Range(0, rounds).Select(_ => round()).Order().ToList();
    return values[values.Count / 2];
}
