namespace ParallelDsl.Runtime.Tests.SharedMemory;

/// <summary>
/// <c>[SharedValue]</c> properties compiled into both the test assembly (the main process) and the shared-memory
/// fixture program (its workers), as one program's code is in every process of the program.
/// </summary>
internal static partial class SharedFixtureState
{
    /// <summary>Never touched by the tests' process before a worker reads it: only start-up creation makes it 5.</summary>
    [SharedValue(5)]
    public static partial Shared<int> UntouchedInitial { get; }

    /// <summary>Set by the main process before its workers start.</summary>
    [SharedValue(7)]
    public static partial Shared<int> SetBeforeStart { get; }

    /// <summary>Incremented by several workers at once.</summary>
    [SharedValue]
    public static partial Shared<long> Total { get; }

    /// <summary>Filled by a worker, read by the main process.</summary>
    [SharedValue(-1, Length = 8)]
    public static partial SharedArray<int> Squares { get; }

    /// <summary>Reads a property the start-up code cannot reach (its type is private), so only a read creates it.</summary>
    public static int ReadHidden(bool touchedFirst) => touchedFirst ? Hidden.TouchedFirst.Value : Hidden.Untouched.Value;

    private static partial class Hidden
    {
        [SharedValue(9)]
        public static partial Shared<int> TouchedFirst { get; }

        [SharedValue(9)]
        public static partial Shared<int> Untouched { get; }
    }
}
