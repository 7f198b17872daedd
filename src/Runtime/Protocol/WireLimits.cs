namespace ParallelDsl.Wire;

/// <summary>The limits every encoder and decoder of the wire format enforces.</summary>
public static class WireLimits
{
    /// <summary>
    /// How many objects and collections may be nested inside one another in one value. Deeper data is refused on
    /// both sides: when writing it usually means a cycle (a node that refers back to itself), and when reading it
    /// protects the decoder's stack from crafted input.
    /// </summary>
    public const int MaxDepth = 64;
}
