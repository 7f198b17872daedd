using System.Globalization;
using ParallelDsl;
using ParallelDsl.Runtime.Tests.SharedMemory;

// A worker program for the shared-memory tests: each mode opens objects by the handle names the test passes and
// exercises them from this separate process. Exit code 0 means the mode completed; failures print to stderr.
// The test keeps this process's stdin open; when it closes (the test process ended, even killed), the fixture exits,
// so no fixture outlives the test run.
new Thread(ExitWhenParentGoes) { IsBackground = true }.Start();

return args[0] switch
{
    string mode when QueueModes.Handles(mode) => QueueModes.Run(args),
    "add" => Repeat(args, static (Shared<int> value) => value.Add(1)),
    "update" => Repeat(args, static (Shared<int> value) => value.Update(static v => v + 1)),
    "lock-add" => Repeat(args, static (Shared<int> value) =>
    {
        using LockScope held = value.Lock();
        value.Value = value.Value + 1;
    }),
    "array-squares" => ArraySquares(args[1]),
    "hold-lock" => HoldLock(args[1]),
    "event-wait" => EventWait(args[1], args[2]),
    "semaphore" => SemaphoreRounds(args[1], args[2], args[3], Count(args[4])),
    "create-and-sleep" => CreateAndSleep(),
    "value-read" => ValueRead(args[1]),
    "value-add" => ValueAdd(Count(args[1])),
    "squares-write" => SquaresWrite(),
    "hidden-read" => HiddenRead(args[1] == "touched-first"),
    _ => throw new ArgumentException($"Unknown fixture mode '{args[0]}'."),
};

static void ExitWhenParentGoes()
{
    using Stream stdin = Console.OpenStandardInput();
    var buffer = new byte[64];
    while (stdin.Read(buffer) > 0)
    {
    }

    Environment.Exit(4);
}

static int Count(string text) => int.Parse(text, CultureInfo.InvariantCulture);

static int Repeat(string[] args, Action<Shared<int>> step)
{
    using Shared<int> value = Shared<int>.OpenHandle(args[1]);
    int count = Count(args[2]);
    for (int i = 0; i < count; i++)
    {
        step(value);
    }

    return 0;
}

static int ArraySquares(string handle)
{
    using SharedArray<int> array = SharedArray<int>.OpenHandle(handle);
    for (int i = 0; i < array.Length; i++)
    {
        array[i] = i * i;
    }

    return 0;
}

static int HoldLock(string handle)
{
    using CrossProcessLock gate = CrossProcessLock.OpenHandle(handle);
    using LockScope held = gate.Lock();
    Console.WriteLine("locked");
    Thread.Sleep(Timeout.Infinite);
    return 0;
}

static int EventWait(string eventHandle, string counterHandle)
{
    using CrossProcessEvent signal = CrossProcessEvent.OpenHandle(eventHandle);
    using Shared<int> woken = Shared<int>.OpenHandle(counterHandle);
    Console.WriteLine("waiting");
    if (!signal.Wait(TimeSpan.FromSeconds(60)))
    {
        return 3;
    }

    woken.Increment();
    return 0;
}

static int SemaphoreRounds(string semaphoreHandle, string insideHandle, string peakHandle, int rounds)
{
    using CrossProcessSemaphore semaphore = CrossProcessSemaphore.OpenHandle(semaphoreHandle);
    using Shared<int> inside = Shared<int>.OpenHandle(insideHandle);
    using Shared<int> peak = Shared<int>.OpenHandle(peakHandle);
    for (int i = 0; i < rounds; i++)
    {
        if (!semaphore.Wait(TimeSpan.FromSeconds(60)))
        {
            return 3;
        }

        try
        {
            int now = inside.Increment();
            peak.Update(p => Math.Max(p, now));
            Thread.Sleep(1);
            inside.Decrement();
        }
        finally
        {
            semaphore.Release();
        }
    }

    return 0;
}

static int CreateAndSleep()
{
    var value = new Shared<int>(42);
    var array = new SharedArray<int>(1 << 20, 3);
    var gate = new CrossProcessLock();
    Console.WriteLine(value.HandleName);
    Console.WriteLine(array.HandleName);
    Console.WriteLine(gate.HandleName);
    Console.WriteLine(SharedFixtureState.Total.HandleName);
    Console.WriteLine("ready");
    Thread.Sleep(Timeout.Infinite);
    return 0;
}

static int ValueRead(string name)
{
    Console.WriteLine(name switch
    {
        nameof(SharedFixtureState.UntouchedInitial) => SharedFixtureState.UntouchedInitial.ToString(),
        nameof(SharedFixtureState.SetBeforeStart) => SharedFixtureState.SetBeforeStart.ToString(),
        nameof(SharedFixtureState.Squares) => SharedFixtureState.Squares.ToString(),
        _ => throw new ArgumentException($"Unknown shared value '{name}'."),
    });
    return 0;
}

static int ValueAdd(int count)
{
    for (int i = 0; i < count; i++)
    {
        SharedFixtureState.Total.Increment();
    }

    return 0;
}

static int SquaresWrite()
{
    SharedArray<int> squares = SharedFixtureState.Squares;
    for (int i = 0; i < squares.Length; i++)
    {
        squares[i] = i * i;
    }

    return 0;
}

static int HiddenRead(bool touchedFirst)
{
    Console.WriteLine(SharedFixtureState.ReadHidden(touchedFirst).ToString(CultureInfo.InvariantCulture));
    return 0;
}
