using Microsoft.CodeAnalysis;

namespace ParallelDsl.Analyzers.Concurrency;

/// <summary>How an access uses a member.</summary>
[System.Flags]
internal enum AccessKind
{
    None = 0,
    Read = 1,
    Write = 2,
}

/// <summary>One read or write of a field (or an auto-property's hidden field) that other threads may also reach.</summary>
/// <param name="Member">The field or auto-property.</param>
/// <param name="Kind">Read, write, or both (<c>x++</c>, <c>x += n</c>).</param>
/// <param name="Guarded">Whether a lock is held around it, in its own method or at every call on the way to it.</param>
/// <param name="Atomic">An <c>Interlocked</c>/<c>Volatile</c> call or a volatile field: ordered without a lock.</param>
/// <param name="LazyInitialization">A write that only fills the member when it is still null (<c>x ??= …</c>): idempotent.</param>
/// <param name="Operation">The reference operation.</param>
/// <param name="Where">Where it runs, for messages: <c>'Parse', called from [RunInThread] method 'Read'</c>.</param>
/// <param name="Context">The concurrent context it runs in, or <see langword="null"/> for code outside every context.</param>
internal sealed record SharedAccess(
    ISymbol Member, AccessKind Kind, bool Guarded, bool Atomic, bool LazyInitialization, IOperation Operation, string Where, ConcurrentContext? Context)
{
    public bool IsWrite => (Kind & AccessKind.Write) != 0;

    public bool IsRead => (Kind & AccessKind.Read) != 0;

    /// <summary>A write that can race: not under a lock, not atomic, not a lazy fill.</summary>
    public bool IsRacyWrite => IsWrite && !Guarded && !Atomic && !LazyInitialization;

    /// <summary>Whether this access, run concurrently with a racy write, makes a data race: any write, or a plain read.</summary>
    public bool ConflictsWithRacyWrite => IsWrite || !Atomic;

    public Location Location => Operation.Syntax.GetLocation();
}
