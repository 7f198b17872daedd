using System.Buffers.Binary;
using System.Buffers;
using System.Collections.Concurrent;
using ParallelDsl.GeneratedSupport;
using ParallelDsl;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>What a test task does in its worker.</summary>
internal enum Behaviour
{
    Return,
    Sleep,
    Throw,
    Crash,
    CrashOnFirstAttempt,
    Block,
}

/// <summary>The argument of <see cref="TestProcessMethods.Work"/>: the test run it belongs to, a value, and what to do.</summary>
internal readonly record struct Job(long Run, int Value, Behaviour Behaviour = Behaviour.Return, int Milliseconds = 0);

/// <summary>
/// What the source generator writes for a few <c>[RunInProcess]</c> methods, by hand: dispatch-table entries with
/// invokers, and the descriptors a pool call is bound to. The methods record what they did per test run.
/// </summary>
internal static class TestProcessMethods
{
    private const ulong WorkId = 0x5445_5354_574F_524B;
    private const ulong InitId = 0x5445_5354_494E_4954;
    private const ulong InitFailsId = 0x5445_5354_4641_494C;
    private const ulong AddId = 0x5445_5354_4144_4421;
    private const int JobSize = 20;

    private static readonly ConcurrentDictionary<(long Run, int Value), int> s_attempts = new();
    private static readonly ConcurrentDictionary<(long Run, int Value), int> s_completions = new();
    private static readonly ConcurrentDictionary<long, ManualResetEventSlim> s_gates = new();
    private static long s_runs;

    static TestProcessMethods()
    {
        var owner = typeof(TestProcessMethods).Assembly;
        ProcessDispatch.Register(new ProcessMethod(WorkId, "Tests.Work(Job)", owner, InvokeWork));
        ProcessDispatch.Register(new ProcessMethod(InitId, "Tests.Init()", owner, (_, _) => Interlocked.Increment(ref FakeProcess.Current.InitializerRuns)));
        ProcessDispatch.Register(new ProcessMethod(InitFailsId, "Tests.InitFails()", owner, (_, _) => throw new InvalidOperationException("no database")));
        Work = new ProcessFunction<Job, int>(WorkId, "Tests.Work(Job)", EncodeJob, result => BinaryPrimitives.ReadInt32LittleEndian(result));
        WorkWithFussyDecoder = new ProcessFunction<Job, int>(WorkId, "Tests.Work(Job)", EncodeJob, DecodeUnless49);
        ProcessDispatch.Register(new ProcessMethod(AddId, "Tests.Add(int, int)", owner, InvokeAdd));
        Add = new ProcessFunction<(int, int), int>(AddId, "Tests.Add(int, int)", EncodePair, result => BinaryPrimitives.ReadInt32LittleEndian(result));
        Init = new ProcessAction(InitId, "Tests.Init()");
        InitFails = new ProcessAction(InitFailsId, "Tests.InitFails()");
    }

    /// <summary>Squares the job's value after doing what its behaviour says.</summary>
    public static ProcessFunction<Job, int> Work { get; }

    /// <summary><see cref="Work"/> with a result decoder that rejects 49, as a decoder does with a malformed result.</summary>
    public static ProcessFunction<Job, int> WorkWithFussyDecoder { get; }

    /// <summary>A two-parameter method: its descriptor takes the tuple of its parameters.</summary>
    public static ProcessFunction<(int, int), int> Add { get; }

    /// <summary>Counts its runs in the current worker.</summary>
    public static ProcessAction Init { get; }

    /// <summary>Always throws.</summary>
    public static ProcessAction InitFails { get; }

    /// <summary>A fresh id that keeps one test's records apart from the others'.</summary>
    public static long NewRun() => Interlocked.Increment(ref s_runs);

    public static int Attempts(long run, int value) => s_attempts.GetValueOrDefault((run, value));

    public static int Completions(long run, int value) => s_completions.GetValueOrDefault((run, value));

    /// <summary>Lets the <see cref="Behaviour.Block"/> tasks of <paramref name="run"/> finish.</summary>
    public static void Release(long run) => Gate(run).Set();

    /// <summary>The jobs for values 0..count-1 of one run.</summary>
    public static Job[] Jobs(long run, int count, Func<int, Job>? make = null) =>
        [.. Enumerable.Range(0, count).Select(value => make?.Invoke(value) ?? new Job(run, value))];

    private static ManualResetEventSlim Gate(long run) => s_gates.GetOrAdd(run, _ => new ManualResetEventSlim());

    private static void EncodeJob(Job job, IBufferWriter<byte> destination)
    {
        Span<byte> span = destination.GetSpan(JobSize);
        BinaryPrimitives.WriteInt64LittleEndian(span, job.Run);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], job.Value);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], (int)job.Behaviour);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], job.Milliseconds);
        destination.Advance(JobSize);
    }

    private static int DecodeUnless49(ReadOnlySpan<byte> result)
    {
        int value = BinaryPrimitives.ReadInt32LittleEndian(result);
        return value == 49 ? throw new FormatException("49 is not a valid square here") : value;
    }

    private static void EncodePair((int, int) pair, IBufferWriter<byte> destination)
    {
        Span<byte> span = destination.GetSpan(8);
        BinaryPrimitives.WriteInt32LittleEndian(span, pair.Item1);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], pair.Item2);
        destination.Advance(8);
    }

    private static void InvokeAdd(ReadOnlySpan<byte> arguments, IBufferWriter<byte> result)
    {
        int sum = BinaryPrimitives.ReadInt32LittleEndian(arguments) + BinaryPrimitives.ReadInt32LittleEndian(arguments[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(result.GetSpan(4), sum);
        result.Advance(4);
    }

    private static void InvokeWork(ReadOnlySpan<byte> arguments, IBufferWriter<byte> result)
    {
        var job = new Job(
            BinaryPrimitives.ReadInt64LittleEndian(arguments),
            BinaryPrimitives.ReadInt32LittleEndian(arguments[8..]),
            (Behaviour)BinaryPrimitives.ReadInt32LittleEndian(arguments[12..]),
            BinaryPrimitives.ReadInt32LittleEndian(arguments[16..]));
        BinaryPrimitives.WriteInt32LittleEndian(result.GetSpan(4), Run(job));
        result.Advance(4);
    }

    private static int Run(Job job)
    {
        int attempt = s_attempts.AddOrUpdate((job.Run, job.Value), 1, (_, n) => n + 1);
        FakeProcess.Current.Started.Enqueue(job.Value);
        switch (job.Behaviour)
        {
            case Behaviour.Sleep:
                Thread.Sleep(job.Milliseconds);
                break;
            case Behaviour.Throw:
                throw new InvalidDataException($"bad input {job.Value}");
            case Behaviour.Crash:
            case Behaviour.CrashOnFirstAttempt when attempt == 1:
                FakeProcess.CrashCurrent();
                break;
            case Behaviour.Block:
                Gate(job.Run).Wait(TimeSpan.FromSeconds(30));
                break;
        }

        s_completions.AddOrUpdate((job.Run, job.Value), 1, (_, n) => n + 1);
        return job.Value * job.Value;
    }
}
