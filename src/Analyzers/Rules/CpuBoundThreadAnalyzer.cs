using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0003: threads pay off for work that waits; a thread that only computes competes for the cores with every
/// other thread. The rule reports a [RunInThread] method, or a lambda given to <c>new Thread</c>, whose code (and
/// what it calls) is loops over computation only. Any call it cannot prove to be computation — I/O, a wait, a
/// sleep, an await, a lock, a delegate, an unknown API — makes the code not CPU-bound, so false positives stay rare.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class CpuBoundThreadAnalyzer() : ParallelDslAnalyzer(DiagnosticDescriptors.CpuBoundThread)
{
    /// <summary>The diagnostic property set when the method can switch to [RunInProcess] as it is.</summary>
    public const string CanRunInProcessProperty = "CanRunInProcess";

    private const int MaxCallDepth = 3;

    private static readonly ImmutableDictionary<string, string?> CanRunInProcess =
        ImmutableDictionary<string, string?>.Empty.Add(CanRunInProcessProperty, "true");

    /// <summary>Framework types whose members only compute, in memory.</summary>
    private static readonly HashSet<string> ComputationTypes =
    [
        "System.Math", "System.MathF", "System.Array", "System.Span`1", "System.ReadOnlySpan`1", "System.MemoryExtensions",
        "System.BitConverter", "System.Random", "System.Nullable`1", "System.Text.StringBuilder", "System.Linq.Enumerable",
        "System.Collections.Generic.List`1", "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.Queue`1", "System.Collections.Generic.Stack`1", "System.Collections.Generic.SortedSet`1",
        "System.Collections.Generic.SortedDictionary`2", "System.Collections.Generic.KeyValuePair`2",
        "System.Collections.Generic.Comparer`1", "System.Collections.Generic.EqualityComparer`1", "System.HashCode", "System.Convert",
        "System.Text.Encoding", "System.Security.Cryptography.HashAlgorithm", "System.Security.Cryptography.SHA1", "System.Security.Cryptography.SHA256",
        "System.Security.Cryptography.SHA384", "System.Security.Cryptography.SHA512", "System.Security.Cryptography.MD5",
        "System.Security.Cryptography.IncrementalHash", "System.IO.Hashing.Crc32", "System.IO.Hashing.XxHash64",
    ];

    /// <summary>Framework namespaces whose types only compute, in memory.</summary>
    private static readonly string[] ComputationNamespaces = ["System.Numerics", "System.Runtime.Intrinsics", "System.Buffers.Binary"];

    protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        var bodies = new SourceBodies(start.Compilation);
        RegisterLaunchMethodAction(start, known, (context, method, kind) =>
        {
            if (kind == LaunchKind.Thread
                && bodies.BodyOf(method, context.CancellationToken) is { } body
                && Classify([body], method, known, bodies, context.CancellationToken) is { CpuBound: true } work)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CpuBoundThread, method.Locations[0],
                    !work.WritesState && CanSwitchToProcess(method, known) ? CanRunInProcess : null, $"[RunInThread] method '{method.Name}'"));
            }
        });
        RegisterFilteredOperationAction(start, node => ThreadStarts.MayStart(node, threadConstructorOnly: true), (operation, context) =>
        {
            foreach (ThreadStart threadStart in ThreadStarts.Find(operation, known, threadConstructorOnly: true))
            {
                if (threadStart.Target is IAnonymousFunctionOperation lambda
                    && Classify([lambda.Body], null, known, bodies, context.CancellationToken).CpuBound)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CpuBoundThread, lambda.Syntax.GetLocation(),
                        "The lambda given to new Thread"));
                }
            }
        }, SyntaxKind.ObjectCreationExpression, SyntaxKind.ImplicitObjectCreationExpression);
    }

    /// <summary>
    /// Whether the code under <paramref name="roots"/> is CPU-bound, and whether it writes state a child process
    /// would lose (static fields, its arguments, its instance), which rules out moving it to one as it is.
    /// </summary>
    private static (bool CpuBound, bool WritesState) Classify(
        IEnumerable<IOperation> roots, IMethodSymbol? method, KnownSymbols known, SourceBodies bodies, CancellationToken cancellationToken)
    {
        bool loops = false;
        bool writesState = false;
        foreach (IOperation root in roots)
        {
            foreach (ReachedOperation reached in bodies.Walk(root, MaxCallDepth, cancellationToken))
            {
                if (method is not null && reached.Operation.WriteTarget()?.WalkDownConversions() is { } target)
                {
                    writesState |= target is IFieldReferenceOperation { Field.IsStatic: false, Instance: IInstanceReferenceOperation }
                                   || LostWriteInChildAnalyzer.LostWrite(target, reached.Depth, method, known) is not null;
                }

                if (reached.Operation is IInvocationOperation call)
                {
                    if (reached.Depth == 0 && IsPrint(call.TargetMethod) && !InsideLoop(call, root))
                    {
                        // One line with the result after the computation is not I/O-bound work; a print per iteration is.
                        continue;
                    }

                    // A LINQ pipeline loops over its source (Enumerable.Range(…).Where(…).Sum()); a recursive method loops by calling itself.
                    loops |= IsLinqPipeline(call) || IsRecursive(call.TargetMethod, method, reached.Method);
                }

                switch (reached.Operation)
                {
                    case ILoopOperation:
                        loops = true;
                        break;
                    case IAwaitOperation or ILockOperation or IUsingOperation or IUsingDeclarationOperation
                        or IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicObjectCreationOperation
                        or IEventReferenceOperation or IFunctionPointerInvocationOperation:
                        return (false, writesState);
                    case IInvocationOperation invocation when !IsComputation(invocation.TargetMethod, reached.Depth, bodies, cancellationToken):
                    case IObjectCreationOperation { Constructor: { } constructor } when !IsComputation(constructor, reached.Depth, bodies, cancellationToken):
                    case IPropertyReferenceOperation property when !IsComputationType(property.Property.ContainingType) && !IsFromSource(property.Property):
                        return (false, writesState);
                }
            }
        }

        return (loops, writesState);
    }

    /// <summary>
    /// Whether calling <paramref name="method"/> only computes: a framework method of a computation type, or a method
    /// of this compilation whose body the walk follows (and checks) because it is within the depth bound.
    /// </summary>
    private static bool IsComputation(IMethodSymbol method, int depth, SourceBodies bodies, CancellationToken cancellationToken)
    {
        if (method.MethodKind is MethodKind.DelegateInvoke)
        {
            return false;
        }

        if (IsFromSource(method))
        {
            return depth < MaxCallDepth && bodies.BodyOf(method, cancellationToken) is not null;
        }

        return IsComputationType(method.ContainingType);
    }

    /// <summary>
    /// Whether <paramref name="call"/> makes a range to loop over (<c>Enumerable.Range</c>, <c>Repeat</c>) or chains a
    /// LINQ operator onto another one: a pipeline of computation. A lone operator over a value the method was given
    /// (<c>extra.Sum()</c> in a formatter) says nothing of how much work it is.
    /// </summary>
    private static bool IsLinqPipeline(IInvocationOperation call) =>
        IsEnumerable(call.TargetMethod)
        && (call.TargetMethod.Name is "Range" or "Repeat"
            || (call.Arguments.Length > 0 && call.Arguments[0].Value.WalkDownConversions() is IInvocationOperation source && IsEnumerable(source.TargetMethod)));

    private static bool IsEnumerable(IMethodSymbol method) => IsType(method.ContainingType, "System.Linq", "Enumerable");

    private static bool IsPrint(IMethodSymbol method) =>
        method.Name is "WriteLine" or "Write" && (IsType(method.ContainingType, "System", "Console") || IsType(method.ContainingType, "System.Diagnostics", "Debug"));

    private static bool IsType(INamedTypeSymbol? type, string ns, string name) => type?.Name == name && type.ContainingNamespace?.ToDisplayString() == ns;

    private static bool InsideLoop(IOperation operation, IOperation root)
    {
        for (IOperation? current = operation.Parent; current is not null && current != root; current = current.Parent)
        {
            if (current is ILoopOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the call goes back to the method it is made in, or to the root: recursion repeats the work like a loop.</summary>
    private static bool IsRecursive(IMethodSymbol target, IMethodSymbol? root, IMethodSymbol? caller) =>
        SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, (caller ?? root)?.OriginalDefinition)
        || SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, root?.OriginalDefinition);

    private static bool IsFromSource(ISymbol symbol) => symbol.DeclaringSyntaxReferences.Length > 0;

    private static bool IsComputationType(INamedTypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (type.SpecialType != SpecialType.None || type.IsTupleType)
        {
            return true;
        }

        string ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        if (ComputationTypes.Contains(ns + "." + type.OriginalDefinition.MetadataName))
        {
            return true;
        }

        foreach (string computation in ComputationNamespaces)
        {
            if (ns == computation || ns.StartsWith(computation + ".", System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the generator would accept <paramref name="method"/> as [RunInProcess] with no other change.</summary>
    private static bool CanSwitchToProcess(IMethodSymbol method, KnownSymbols known)
    {
        if (!method.IsStatic || method.IsGenericMethod || known.RunInProcessAttribute is null)
        {
            return false;
        }

        IAssemblySymbol within = known.Compilation.Assembly;
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (ByRefParameterAnalyzer.Describe(parameter) is not null || TransferableTypes.FindProblem(parameter.Type, within) is not null)
            {
                return false;
            }
        }

        return known.ResultType(method) is not { } result || TransferableTypes.FindProblem(result, within) is null;
    }
}
