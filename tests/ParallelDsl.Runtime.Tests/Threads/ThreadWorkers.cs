using System.Runtime.CompilerServices;

namespace ParallelDsl.Runtime.Tests.Threads;

/// <summary>The <c>[RunInThread]</c> methods the thread tests start through their generated launchers.</summary>
internal static partial class ThreadWorkers
{
    /// <summary>Long enough never to be reached by a working test, short enough to end a broken one.</summary>
    public static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(30);

    [RunInThread]
    public static void WaitFor(ManualResetEventSlim release) => Assert.True(release.Wait(SafetyTimeout), "never released");

    [RunInThread]
    public static int WaitThenReturn(ManualResetEventSlim release, int value)
    {
        Assert.True(release.Wait(SafetyTimeout), "never released");
        return value;
    }

    [RunInThread]
    public static int Add(int left, int right) => left + right;

    [RunInThread]
    public static void Fail(string message) => ThrowFromDeepInside(message);

    [RunInThread]
    public static int FailWithResult(string message)
    {
        ThrowFromDeepInside(message);
        return 0;
    }

    [RunInThread]
    public static async Task FailAsync(string message)
    {
        await Task.Yield();
        ThrowFromDeepInside(message);
    }

    [RunInThread]
    public static bool IsBackground() => Thread.CurrentThread.IsBackground;

    [RunInThread(Daemon = true)]
    public static bool IsBackgroundAsDaemon() => Thread.CurrentThread.IsBackground;

    [RunInThread]
    public static string? CurrentThreadName() => Thread.CurrentThread.Name;

    [RunInThread(Name = "reporter")]
    public static string? NamedThreadName() => Thread.CurrentThread.Name;

    [RunInThread(MaxConcurrency = 3)]
    public static void Limited(ConcurrencyProbe probe) => probe.Run();

    [RunInThread]
    public static async Task<int[]> ThreadIdsAcrossAwaits()
    {
        var ids = new List<int> { Environment.CurrentManagedThreadId };
        await Task.Delay(1);
        ids.Add(Environment.CurrentManagedThreadId);
        await Task.Yield();
        ids.Add(Environment.CurrentManagedThreadId);
        await Task.Run(() => { });
        ids.Add(Environment.CurrentManagedThreadId);
        return [.. ids];
    }

    [RunInThread]
    public static async ValueTask<int[]> ThreadIdsAcrossValueTaskAwaits()
    {
        int first = Environment.CurrentManagedThreadId;
        await Task.Delay(1);
        return [first, Environment.CurrentManagedThreadId];
    }

    [RunInThread]
    public static async Task RecordThreadIdsAcrossAwaits(List<int> ids)
    {
        ids.Add(Environment.CurrentManagedThreadId);
        await Task.Delay(1);
        ids.Add(Environment.CurrentManagedThreadId);
    }

    [RunInThread]
    public static async ValueTask RecordThreadIdsAcrossValueTaskAwaits(List<int> ids)
    {
        ids.Add(Environment.CurrentManagedThreadId);
        await Task.Yield();
        ids.Add(Environment.CurrentManagedThreadId);
    }

    [RunInThread]
    public static string JoinSelf(Task<ThreadHandle> self)
    {
        ThreadHandle handle = self.WaitAsync(SafetyTimeout).GetAwaiter().GetResult();
        var failures = new List<string>();
        try
        {
            handle.Join();
        }
        catch (InvalidOperationException exception)
        {
            failures.Add(exception.Message);
        }

        try
        {
            handle.Join(TimeSpan.FromSeconds(1));
        }
        catch (InvalidOperationException exception)
        {
            failures.Add(exception.Message);
        }

        return string.Join("|", failures);
    }

    [RunInThread]
    public static string Describe(string @class, int @event = 7, string? note = null, params int[] extra) =>
        $"{@class}:{@event}:{note ?? "none"}:{extra.Sum()}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFromDeepInside(string message) => throw new InvalidOperationException(message);
}

/// <summary>Counts how many calls run at once; each call holds its slot until the test releases it.</summary>
internal sealed class ConcurrencyProbe
{
    private readonly ManualResetEventSlim _release = new();
    private int _running;
    private int _peak;
    private int _completed;

    public int Running => Volatile.Read(ref _running);

    public int Peak => Volatile.Read(ref _peak);

    public int Completed => Volatile.Read(ref _completed);

    public void Release() => _release.Set();

    public void Run()
    {
        int now = Interlocked.Increment(ref _running);
        int peak = Volatile.Read(ref _peak);
        while (now > peak && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
            peak = Volatile.Read(ref _peak);
        }

        Assert.True(_release.Wait(ThreadWorkers.SafetyTimeout), "never released");
        Interlocked.Decrement(ref _running);
        Interlocked.Increment(ref _completed);
    }
}

/// <summary>An instance whose state a launched instance method reads.</summary>
internal sealed partial class Accumulator(int start)
{
    [RunInThread]
    public int AddTo(int amount) => start + amount;
}
