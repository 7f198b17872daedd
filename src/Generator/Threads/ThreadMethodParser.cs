using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Generator;

/// <summary>Turns a <c>[RunInThread]</c> method into a <see cref="ThreadMethodModel"/>.</summary>
internal static class ThreadMethodParser
{
    /// <summary>
    /// The model of the annotated method, or the launcher stub of a method <see cref="LaunchTarget"/> rejects (the
    /// analyzers explain why to the user), or <see langword="null"/> when not even a stub has a place to go.
    /// </summary>
    public static ParsedThreadMethodModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (context.TargetSymbol is not IMethodSymbol method || context.Attributes.Length != 1)
        {
            return null;
        }

        ImmutableArray<LaunchProblem> problems = LaunchTarget.Check(method, inChildProcess: false, method.ContainingAssembly);
        if (!problems.IsEmpty)
        {
            return RejectedMethodParser.Parse(method, inChildProcess: false, problems) is { } rejected ? new ParsedThreadMethodModel(null, rejected) : null;
        }

        if (SymbolModels.TypeIdentity(method.ContainingType) is not { } type)
        {
            return null;
        }

        (ResultKind Kind, string? Type) result = SymbolModels.Result(method);
        AttributeData attribute = context.Attributes[0];
        return new ParsedThreadMethodModel(
            new ThreadMethodModel(
                type,
                method.Name,
                SymbolModels.Accessibility(method),
                method.IsStatic,
                SymbolModels.Parameters(method),
                result.Kind,
                result.Type,
                SymbolModels.NamedArgument<string?>(attribute, "Name", null),
                SymbolModels.NamedArgument(attribute, "Daemon", false),
                SymbolModels.NamedArgument(attribute, "MaxConcurrency", 0)),
            null);
    }
}
