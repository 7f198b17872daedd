using System.Text;

namespace ParallelDsl.Roslyn;

/// <summary>
/// The stable id of a generated method: a 64-bit FNV-1a hash of the UTF-8 bytes of its signature, the same in every
/// build of the same source and on every machine, unlike <see cref="string.GetHashCode()"/>. The generator writes it
/// into the launcher and the dispatch table, so parent and child agree on the method without sending its name.
/// </summary>
internal static class StableId
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    /// <summary>The id of <paramref name="signature"/>.</summary>
    public static ulong Of(string signature)
    {
        ulong hash = OffsetBasis;
        foreach (byte b in Encoding.UTF8.GetBytes(signature))
        {
            hash = unchecked((hash ^ b) * Prime);
        }

        return hash;
    }
}
