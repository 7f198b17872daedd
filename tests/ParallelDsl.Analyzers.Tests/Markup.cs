using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>A diagnostic a test expects: its id and the source span it covers.</summary>
internal sealed record ExpectedDiagnostic(string Id, TextSpan Span);

/// <summary>
/// Test sources with <c>{|PDSL0001:text|}</c> around each span that must be reported. Parsing strips the markup
/// and remembers what it marked.
/// </summary>
internal sealed record Markup(string Source, ImmutableArray<ExpectedDiagnostic> Expected)
{
    public static Markup Parse(string markup)
    {
        var source = new StringBuilder(markup.Length);
        var open = new Stack<(string Id, int Start)>();
        var expected = ImmutableArray.CreateBuilder<ExpectedDiagnostic>();
        for (int i = 0; i < markup.Length; i++)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                int colon = markup.IndexOf(':', i);
                open.Push((markup.Substring(i + 2, colon - i - 2), source.Length));
                i = colon;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}' && open.Count > 0)
            {
                (string id, int start) = open.Pop();
                expected.Add(new ExpectedDiagnostic(id, TextSpan.FromBounds(start, source.Length)));
                i++;
            }
            else
            {
                source.Append(markup[i]);
            }
        }

        Assert.True(open.Count == 0, "Unclosed {| markup in the test source.");
        return new Markup(source.ToString(), expected.ToImmutable());
    }
}
