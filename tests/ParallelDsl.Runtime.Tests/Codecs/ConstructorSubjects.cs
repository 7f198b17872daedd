namespace ParallelDsl.Runtime.Tests.Codecs;

/// <summary>A class whose constructor has a side effect (it counts, as a constructor that prints would print).</summary>
public sealed class Noisy
{
    private static int s_constructed;

    public Noisy(int id, string name, List<int> scores)
    {
        Interlocked.Increment(ref s_constructed);
        Id = id;
        Name = name;
        Scores = scores;
    }

    /// <summary>How many times this process ran the constructor.</summary>
    public static int Constructed => Volatile.Read(ref s_constructed);

    public int Id { get; }

    public string Name { get; init; }

    public List<int> Scores { get; private set; }

    public string? Note { get; set; }
}

/// <summary>A positional record whose construction counts (through a property initializer, which its constructor runs).</summary>
public sealed record NoisyRecord(string Text, int? Maybe)
{
    private static int s_constructed;

    public static int Constructed => Volatile.Read(ref s_constructed);

    public int Serial { get; init; } = Interlocked.Increment(ref s_constructed);
}

/// <summary>A struct whose constructor counts, with public fields and an init-only property.</summary>
public struct NoisyStruct
{
    private static int s_constructed;

    public NoisyStruct(int x, string label)
    {
        Interlocked.Increment(ref s_constructed);
        X = x;
        Label = label;
    }

    public static int Constructed => Volatile.Read(ref s_constructed);

    public int X;

    public string Label { get; init; }
}

/// <summary>
/// A class with private state the codec does not carry (a log its constructor creates): it must be constructed in the
/// child, or the log would be missing there.
/// </summary>
public sealed class WithPrivateState
{
    private static int s_constructed;
    private readonly List<string> _log = [];

    public WithPrivateState(int id)
    {
        Interlocked.Increment(ref s_constructed);
        Id = id;
    }

    public static int Constructed => Volatile.Read(ref s_constructed);

    public int Id { get; }

    public int Record(string entry)
    {
        _log.Add(entry);
        return _log.Count;
    }
}

/// <summary>What a child saw: how many constructors it ran, and the values it decoded.</summary>
public sealed record ChildView(int Constructed, string Seen);

/// <summary><c>[RunInProcess]</c> methods that report how many constructors decoding their argument ran in the child.</summary>
internal static partial class ConstructorWorkers
{
    [RunInProcess]
    internal static ChildView SeeNoisy(Noisy noisy) =>
        new(Noisy.Constructed, $"{noisy.Id} {noisy.Name} [{string.Join(",", noisy.Scores)}] {noisy.Note ?? "null"}");

    [RunInProcess]
    internal static ChildView SeeRecords(List<NoisyRecord> records) =>
        new(NoisyRecord.Constructed, string.Join(";", records.Select(r => $"{r.Text} {r.Maybe?.ToString() ?? "null"} {r.Serial}")));

    [RunInProcess]
    internal static ChildView SeeStruct(NoisyStruct value) => new(NoisyStruct.Constructed, $"{value.X} {value.Label}");

    [RunInProcess]
    internal static ChildView SeePrivateState(WithPrivateState value) => new(WithPrivateState.Constructed, $"{value.Id} {value.Record("used")}");

    [RunInProcess]
    internal static Noisy MakeNoisy(int id) => new(id, $"made in {id}", [id]) { Note = "from the child" };
}
