using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ParallelDsl.Analyzers.Concurrency;

/// <summary>
/// Code that runs concurrently with the code that starts it: a [RunInThread] method, or a delegate given to a thread,
/// a task, the thread pool, a timer or a parallel loop.
/// </summary>
internal sealed class ConcurrentContext
{
    public ConcurrentContext(string description, Location start, SyntaxNode? startSyntax, bool selfConcurrent, bool selfConcurrentForStatics, bool starterWaits)
    {
        Description = description;
        Start = start;
        StartSyntax = startSyntax;
        SelfConcurrent = selfConcurrent;
        SelfConcurrentForStatics = selfConcurrentForStatics;
        StarterWaits = starterWaits;
    }

    /// <summary>What runs, for messages: <c>[RunInThread] method 'Read'</c>, <c>a lambda given to Task.Run</c>.</summary>
    public string Description { get; }

    /// <summary>Where it is started: the starting call, or the [RunInThread] method, whose launcher starts it.</summary>
    public Location Start { get; }

    /// <summary>The call or creation that starts it, or <see langword="null"/> for a [RunInThread] method.</summary>
    public SyntaxNode? StartSyntax { get; }

    /// <summary>
    /// Whether two runs of it can overlap on the same object: a [RunInThread] method (its launcher can be called any
    /// number of times), a parallel loop body, a delegate started in a loop or in a callback.
    /// </summary>
    public bool SelfConcurrent { get; }

    /// <summary>Whether two runs can overlap for static state, which every object shares: any start outside a static constructor or the entry point.</summary>
    public bool SelfConcurrentForStatics { get; }

    /// <summary>Whether the starting code waits for it to finish (<c>Parallel.For</c>, <c>await Task.Run(…)</c>), so the starter's own accesses are ordered.</summary>
    public bool StarterWaits { get; }

    /// <summary>The bodies that run in this context: the root and the methods it reaches; set once its walk is done.</summary>
    public ImmutableArray<SyntaxNode> Covered { get; set; } = [];

    /// <summary>Whether two runs of this context can overlap for <paramref name="member"/>.</summary>
    public bool OverlapsItselfFor(ISymbol member) => member.IsStatic ? SelfConcurrentForStatics : SelfConcurrent;
}
