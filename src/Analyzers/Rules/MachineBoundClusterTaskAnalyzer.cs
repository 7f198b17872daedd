using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0015: a cluster pool sends its tasks to other machines, so a [RunInProcess] method given to one must not take
/// a handle to this machine's memory (a shared value or array, a queue, a pipe end, a lock: every type implementing
/// ICrossProcessHandle, also inside a tuple, an array or a generic argument) nor read [SharedValue] state. Reported
/// where the receiver is known to be a ClusterPool; the cluster pool checks the arguments again when the tasks are
/// submitted. ClusterPool lives in a package the analyzers do not reference, so it is matched by its metadata name.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class MachineBoundClusterTaskAnalyzer() : ParallelDslAnalyzer(DiagnosticDescriptors.MachineBoundClusterTask)
{
    /// <summary>How many calls deep a method's reads of [SharedValue] state are followed.</summary>
    private const int MaxCallDepth = 3;

    protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        if (known.ProcessPoolBase is not { } pool
            || start.Compilation.GetTypeByMetadataName(WellKnownNames.ClusterPool) is not { } cluster
            || start.Compilation.GetTypeByMetadataName(WellKnownNames.CrossProcessHandle) is not { } handle)
        {
            return;
        }

        var bodies = new SourceBodies(start.Compilation);
        var poolMethods = new HashSet<string>(pool.MemberNames);
        RegisterFilteredOperationAction(start,
            node => ThreadStarts.InvokedName((InvocationExpressionSyntax)node) is { } name && poolMethods.Contains(name),
            (operation, context) => AnalyzeInvocation(operation, context, known, cluster, handle, bodies),
            SyntaxKind.InvocationExpression);
    }

    private static void AnalyzeInvocation(IOperation operation, SyntaxNodeAnalysisContext context, KnownSymbols known, INamedTypeSymbol cluster, INamedTypeSymbol handle, SourceBodies bodies)
    {
        if (operation is not IInvocationOperation { Instance: { } receiver } invocation
            || !KnownSymbols.Is(invocation.TargetMethod.ContainingType, known.ProcessPoolBase)
            || !DerivesFrom(receiver.WalkDownConversions().Type, cluster))
        {
            return;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            IOperation value = argument.Value.WalkDownConversions();
            if (value is IDelegateCreationOperation creation)
            {
                value = creation.Target;
            }

            if (value is IMethodReferenceOperation { Method: { } method } && known.LaunchKindOf(method) == LaunchKind.Process
                && (MachineBoundParameter(method, handle) ?? SharedValueRead(method, known, bodies, context)) is { } why)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.MachineBoundClusterTask, argument.Syntax.GetLocation(), method.Name, invocation.TargetMethod.Name, why));
            }
        }
    }

    private static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol expected)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, expected))
            {
                return true;
            }
        }

        return false;
    }

    private static string? MachineBoundParameter(IMethodSymbol method, INamedTypeSymbol handle)
    {
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (Bound(parameter.Type, handle, 0) is { } bound)
            {
                string type = parameter.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
                return SymbolEqualityComparer.Default.Equals(bound, parameter.Type)
                    ? $"its parameter '{parameter.Name}' ({type})"
                    : $"its parameter '{parameter.Name}' ({type}, holding {bound.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)})";
            }
        }

        return null;
    }

    /// <summary>The machine-bound type <paramref name="type"/> is or holds (array elements, tuple elements, type arguments).</summary>
    private static ITypeSymbol? Bound(ITypeSymbol type, INamedTypeSymbol handle, int depth)
    {
        if (depth > 8)
        {
            return null;
        }

        foreach (INamedTypeSymbol face in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(face.OriginalDefinition, handle))
            {
                return type;
            }
        }

        if (type is IArrayTypeSymbol array)
        {
            return Bound(array.ElementType, handle, depth + 1);
        }

        if (type is INamedTypeSymbol { IsGenericType: true } named)
        {
            foreach (ITypeSymbol part in named.TypeArguments)
            {
                if (Bound(part, handle, depth + 1) is { } inner)
                {
                    return inner;
                }
            }
        }

        return null;
    }

    private static string? SharedValueRead(IMethodSymbol method, KnownSymbols known, SourceBodies bodies, SyntaxNodeAnalysisContext context)
    {
        if (bodies.BodyOf(method, context.CancellationToken) is not { } body)
        {
            return null;
        }

        foreach (ReachedOperation reached in bodies.Walk(body, MaxCallDepth, context.CancellationToken))
        {
            if (reached.Operation is IPropertyReferenceOperation { Property: { } property } && KnownSymbols.HasAttribute(property, known.SharedValueAttribute))
            {
                return reached.Method is null
                    ? $"the [SharedValue] '{property.Name}' it reads"
                    : $"the [SharedValue] '{property.Name}' it reads through '{reached.Method.Name}'";
            }
        }

        return null;
    }
}
