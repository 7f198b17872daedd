using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ParallelDsl.Analyzers.Concurrency;

/// <summary>A racy write and the access it races with; <see cref="Other"/> is the write itself when two runs of its code overlap.</summary>
internal sealed record Conflict(SharedAccess Write, SharedAccess Other)
{
    public bool WithItself => Other.Context == Write.Context;
}

/// <summary>
/// Pairs racy writes with the accesses they race with, one conflict per member: a write from one concurrent context
/// and a read or write of the same member from another (another thread body, a second run of the same one, the
/// starting code after the start, any other code of the compilation), at least one of them unguarded.
/// A member written from one context only, and read by no other code, is that context's own state: not a race.
/// </summary>
internal static class Conflicts
{
    private static readonly HashSet<string> JoinMethods = ["Join", "Wait", "WaitAll", "WhenAll", "GetResult"];

    public static IEnumerable<Conflict> Find(IEnumerable<SharedAccess> accesses, OutsideAccesses outside, ImmutableArray<SyntaxNode> covered, CancellationToken cancellationToken)
    {
        var pending = new Dictionary<ISymbol, List<SharedAccess>>(SymbolEqualityComparer.Default);
        foreach (IGrouping<ISymbol, SharedAccess> member in accesses.GroupBy(a => a.Member, SymbolEqualityComparer.Default))
        {
            // Sorted by place, then by where the context starts, so the report does not depend on the order the actions ran in.
            List<SharedAccess> all =
            [
                .. member.OrderBy(a => a.Location.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(a => a.Location.SourceSpan.Start)
                    .ThenBy(a => a.Context?.Start.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(a => a.Context?.Start.SourceSpan.Start),
            ];
            // A write after a join in its own method runs when the joined threads are done.
            List<SharedAccess> racy = all.Where(a => a.IsRacyWrite && !FollowsJoin(a)).ToList();
            if (racy.Count == 0)
            {
                continue;
            }

            if (BetweenContexts(racy, all) is { } conflict)
            {
                yield return conflict;
            }
            else if (racy.FirstOrDefault(w => w.Context!.OverlapsItselfFor(w.Member)) is { } overlapping)
            {
                yield return new Conflict(overlapping, overlapping);
            }
            else
            {
                pending[member.Key] = racy;
            }
        }

        if (pending.Count == 0)
        {
            yield break;
        }

        Dictionary<ISymbol, List<SharedAccess>> found = outside.Find(pending.Keys, covered, cancellationToken);
        foreach (KeyValuePair<ISymbol, List<SharedAccess>> member in pending)
        {
            if (!found.TryGetValue(member.Key, out List<SharedAccess>? others))
            {
                continue;
            }

            Conflict? conflict = null;
            foreach (SharedAccess write in member.Value)
            {
                if (others.FirstOrDefault(x => x.ConflictsWithRacyWrite && !IsOrdered(x, write.Context!)) is { } other)
                {
                    conflict = new Conflict(write, other);
                    break;
                }
            }

            if (conflict is not null)
            {
                yield return conflict;
            }
        }
    }

    private static Conflict? BetweenContexts(List<SharedAccess> racy, List<SharedAccess> all)
    {
        foreach (SharedAccess write in racy)
        {
            // A second writer is the clearer report; a plain read in another context races as well.
            SharedAccess? other = all.FirstOrDefault(x => x.Context != write.Context && x.IsWrite && !FollowsJoin(x))
                                  ?? all.FirstOrDefault(x => x.Context != write.Context && x.ConflictsWithRacyWrite && !FollowsJoin(x));
            if (other is not null)
            {
                return new Conflict(write, other);
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="access"/>, outside every context, is ordered with <paramref name="context"/>: in the
    /// starting code before the start or while the starter waits for it, or after a join (<c>Join()</c>, <c>Wait()</c>,
    /// <c>await</c> of a task) in its own method.
    /// </summary>
    private static bool IsOrdered(SharedAccess access, ConcurrentContext context)
    {
        SyntaxNode syntax = access.Operation.Syntax;
        SyntaxNode? member = syntax.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        if (member is null)
        {
            return false;
        }

        int after = member.SpanStart;
        if (context.StartSyntax is { } start && start.FirstAncestorOrSelf<MemberDeclarationSyntax>() == member)
        {
            if (context.StarterWaits || (syntax.SpanStart < start.SpanStart && !context.SelfConcurrent))
            {
                return true;
            }

            after = start.Span.End;
        }
        else if (!context.SelfConcurrent && StartsLaterIn(member, syntax.SpanStart, context.StartSyntax))
        {
            // Connect() { _state = …; StartReader(); } with the thread started in StartReader: before the start.
            return true;
        }

        return JoinsBetween(member, TextSpan.FromBounds(after, System.Math.Max(after, syntax.SpanStart)));
    }

    /// <summary>Whether <paramref name="member"/>, after <paramref name="position"/>, calls the method whose body starts the context at <paramref name="start"/>.</summary>
    private static bool StartsLaterIn(SyntaxNode member, int position, SyntaxNode? start)
    {
        if (start?.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { Identifier.ValueText: var starter })
        {
            return false;
        }

        foreach (SyntaxNode node in member.DescendantNodes())
        {
            if (node.SpanStart > position && node is InvocationExpressionSyntax invocation && ThreadStarts.InvokedName(invocation) == starter)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>task</c>, <c>_task</c>, <c>this._task</c>, or one of them <c>.ConfigureAwait(…)</c>: a task started earlier, not a new call.</summary>
    private static bool IsTaskReference(ExpressionSyntax awaited) => awaited switch
    {
        IdentifierNameSyntax or MemberAccessExpressionSyntax => true,
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Expression: var task } } =>
            task is IdentifierNameSyntax or MemberAccessExpressionSyntax,
        _ => false,
    };

    /// <summary>Whether a join (<c>Join()</c>, <c>Task.WhenAll</c>, <c>await</c> of a task) comes before <paramref name="access"/> in its method: the threads it waited for are done.</summary>
    private static bool FollowsJoin(SharedAccess access)
    {
        SyntaxNode syntax = access.Operation.Syntax;
        return syntax.FirstAncestorOrSelf<MemberDeclarationSyntax>() is { } member
               && JoinsBetween(member, TextSpan.FromBounds(member.SpanStart, syntax.SpanStart));
    }

    private static bool JoinsBetween(SyntaxNode member, TextSpan span)
    {
        foreach (SyntaxNode node in member.DescendantNodes(span))
        {
            if (!span.Contains(node.Span))
            {
                continue;
            }

            switch (node)
            {
                case InvocationExpressionSyntax invocation when ThreadStarts.InvokedName(invocation) is { } name && JoinMethods.Contains(name):
                case AwaitExpressionSyntax { Expression: var awaited } when IsTaskReference(awaited):
                    return true;
            }
        }

        return false;
    }
}
