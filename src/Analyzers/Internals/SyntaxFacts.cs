using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ParallelDsl.Analyzers;

/// <summary>Facts about declarations that only their syntax tells.</summary>
internal static class SyntaxFacts
{
    /// <summary>Whether a declaration of <paramref name="symbol"/> carries the <c>partial</c> modifier.</summary>
    public static bool IsDeclaredPartial(ISymbol symbol)
    {
        foreach (SyntaxReference reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is MemberDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return true;
            }
        }

        return false;
    }
}
