using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Generator;

/// <summary>
/// Finds the element types of queues and pipes the assembly names (<c>CrossProcessQueue&lt;Item&gt;</c>,
/// <c>PipeEnd&lt;Item&gt;</c>, <c>Pipe.Create&lt;Item&gt;()</c>: in a construction, a declaration or a parameter of a
/// <c>[RunInProcess]</c> method alike) whose items go through a generated codec, and turns each into an
/// <see cref="ElementCodecModel"/>. Unmanaged values, strings and byte arrays need none (the runtime copies them
/// itself); a type with no codec is left to the analyzers (PDSL0014).
/// </summary>
internal static class ElementCodecParser
{
    /// <summary>The syntax-only filter: a generic name with one type argument, spelled like one of the queue and pipe types.</summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is GenericNameSyntax { TypeArgumentList.Arguments.Count: 1, Identifier.ValueText: "CrossProcessQueue" or "PipeEnd" or "Create" };

    /// <summary>The element codecs the name needs, or <see langword="null"/> when it needs none.</summary>
    public static ElementCodecModel? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        ISymbol? symbol = context.SemanticModel.GetSymbolInfo(context.Node, cancellationToken).Symbol;
        if (TransferableTypes.ElementTypeOf(symbol) is not { } element)
        {
            return null;
        }

        IAssemblySymbol within = context.SemanticModel.Compilation.Assembly;
        if (TransferableTypes.DescribeElement(element, within, out _) != ElementEncoding.Generated)
        {
            return null;
        }

        var codecs = new CodecModelBuilder(within);
        return codecs.Add(element) is { } key ? new ElementCodecModel(key, codecs.Codecs) : null;
    }
}
