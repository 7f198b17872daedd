namespace ParallelDsl;

/// <summary>
/// Per-call options of a generated <c>Start{Method}(…, ThreadOptions)</c> launcher, as Python names each
/// <c>threading.Thread(name=…, daemon=…)</c> it creates.
/// </summary>
public sealed class ThreadOptions
{
    /// <summary>The thread's name, overriding the attribute's; <see langword="null"/> keeps it.</summary>
    public string? Name { get; init; }

    /// <summary>Whether the thread is a daemon (background) thread, overriding the attribute's; <see langword="null"/> keeps it.</summary>
    public bool? Daemon { get; init; }
}
