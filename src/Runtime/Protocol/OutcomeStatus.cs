namespace ParallelDsl.Wire;

/// <summary>
/// The byte in front of every task outcome, in a result frame and in each outcome of a batch: the one definition
/// both readers and both writers use.
/// </summary>
internal static class OutcomeStatus
{
    /// <summary>The task returned; its encoded result follows.</summary>
    public const byte Succeeded = 0;

    /// <summary>The task threw; its remote error follows.</summary>
    public const byte Failed = 1;
}
