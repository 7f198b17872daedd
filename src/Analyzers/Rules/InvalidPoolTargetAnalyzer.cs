using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0010: a process pool sends a method id to its workers, so what it runs must be a [RunInProcess] method named
/// by a method group; a lambda, a local function or any other delegate has no id a worker could look up. A
/// [RunInProcess] method that returns a task is reported too: a pool's worker runs one synchronous task at a time,
/// so the generator writes no pool descriptor for it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class InvalidPoolTargetAnalyzer() : ParallelDslAnalyzer(DiagnosticDescriptors.InvalidPoolTarget)
{
    protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        if (known.ProcessPoolBase is not { } pool)
        {
            return;
        }

        // Only calls spelled like one of the pool's methods are bound.
        var poolMethods = new HashSet<string>(pool.MemberNames);
        RegisterFilteredOperationAction(start,
            node => ThreadStarts.InvokedName((InvocationExpressionSyntax)node) is { } name && poolMethods.Contains(name),
            (operation, context) => AnalyzeInvocation(operation, context, known),
            SyntaxKind.InvocationExpression);
    }

    private static void AnalyzeInvocation(IOperation operation, SyntaxNodeAnalysisContext context, KnownSymbols known)
    {
        if (operation is not IInvocationOperation invocation)
        {
            return;
        }

        IMethodSymbol method = invocation.TargetMethod;
        if (method.IsStatic || !KnownSymbols.Is(method.ContainingType, known.ProcessPoolBase))
        {
            return;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type.TypeKind == TypeKind.Delegate
                && DescribeInvalidTarget(argument.Value.WalkDownConversions(), known) is ({ } what, { } why))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InvalidPoolTarget, argument.Syntax.GetLocation(), what, method.Name, why));
            }
        }
    }

    private const string MethodGroupsOnly = "a child process can only run a [RunInProcess] method, passed as a method group";

    private const string SynchronousOnly =
        "a pool's worker runs one task at a time to completion, so pools take [RunInProcess] methods that return their value " +
        "directly; make the method synchronous, or start it with its generated Start launcher";

    private const string StaticOnly =
        "a pool sends its workers a method and arguments, not an object to call the method on; make the method static and " +
        "pass what it needs from the instance, or start it on the instance with its generated Start launcher";

    private static (string? What, string? Why) DescribeInvalidTarget(IOperation value, KnownSymbols known)
    {
        if (value is IDelegateCreationOperation creation)
        {
            value = creation.Target;
        }

        return value switch
        {
            ILiteralOperation { ConstantValue.HasValue: true } => default,
            IAnonymousFunctionOperation => ("A lambda", MethodGroupsOnly),
            IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } reference => ($"Local function '{reference.Method.Name}'", MethodGroupsOnly),
            IMethodReferenceOperation reference when known.LaunchKindOf(reference.Method) == LaunchKind.Process =>
                known.IsTaskLike(reference.Method.ReturnType)
                    ? ($"[RunInProcess] method '{reference.Method.Name}', which returns a task,", SynchronousOnly)
                    : reference.Method.IsStatic ? default : ($"[RunInProcess] instance method '{reference.Method.Name}'", StaticOnly),
            IMethodReferenceOperation reference => ($"Method '{reference.Method.Name}', which is not [RunInProcess],", MethodGroupsOnly),
            _ => ("A delegate value", MethodGroupsOnly),
        };
    }
}
