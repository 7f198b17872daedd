namespace ParallelDsl;

/// <summary>Per-call options of a generated <c>Start{Method}(…, ProcessOptions)</c> launcher.</summary>
public sealed class ProcessOptions
{
    /// <summary>The child's name, overriding the attribute's; <see langword="null"/> keeps it.</summary>
    public string? Name { get; init; }

    /// <summary>Whether the child is a daemon, overriding the attribute's; <see langword="null"/> keeps it.</summary>
    public bool? Daemon { get; init; }
}
