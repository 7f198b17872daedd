namespace ParallelDsl;

/// <summary>
/// A 64-bit FNV-1a hash of a string's UTF-16 code units: the same on every machine, build and process, unlike
/// <see cref="string.GetHashCode()"/>. It names shared segments and queue element types at run time only; the method
/// ids the generator writes are hashed by the generator over UTF-8, and nothing compares the two.
/// </summary>
internal static class StableHash
{
    public static ulong Of(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
