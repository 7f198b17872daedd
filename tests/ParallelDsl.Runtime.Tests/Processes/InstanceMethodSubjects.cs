namespace ParallelDsl.Runtime.Tests.Processes;

/// <summary>
/// Python's <c>Process(target=w.run)</c> on an object: an instance [RunInProcess] method runs in the child on a copy of
/// the instance, sent through its codec.
/// </summary>
public sealed partial class Worker
{
    public string Name { get; init; } = "";

    public List<int> Items { get; set; } = [];

    public int Runs { get; set; }

    /// <summary>Reports what the copy holds and where it runs; bumps <see cref="Runs"/> on the copy only.</summary>
    [RunInProcess]
#pragma warning disable PDSL0004 // on purpose: the test shows the write stays in the child's copy
    public string Describe(int factor)
    {
        Runs++;
        return $"{Name} {Items.Sum() * factor} runs={Runs} pid={Environment.ProcessId}";
    }
#pragma warning restore PDSL0004
}

/// <summary>A struct target: its instance method runs on a copy of the value.</summary>
public partial struct Scale
{
    public double Factor;

    [RunInProcess]
    public readonly double Apply(double value) => value * Factor;
}
