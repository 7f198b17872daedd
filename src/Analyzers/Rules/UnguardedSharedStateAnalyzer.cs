using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ParallelDsl.Analyzers.Concurrency;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0001: a field (or auto-property) written by concurrent code — a [RunInThread] method, a delegate given to
/// <c>new Thread</c>, <c>Task.Run</c>, the thread pool, a timer or <c>Parallel</c>, and what they call — without a
/// lock, <c>Interlocked</c> or <c>Volatile</c>, where other code touches it at the same time: another thread body, a
/// second run of the same one, the starting code after the start, or any other code of the compilation. The rule
/// reports conflicts, not lone writes: state that one thread alone uses, objects a thread creates and keeps, writes
/// under the callers' lock and lazy fills are not races. It runs when the compilation is complete, once per member.
/// A <c>Shared&lt;T&gt;.Value</c> or <c>SharedArray&lt;T&gt;</c> element read-modify-written outside the value's
/// <c>Lock()</c> scope races the same way across processes.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class UnguardedSharedStateAnalyzer() : ParallelDslAnalyzer(DiagnosticDescriptors.UnguardedSharedState)
{
    /// <summary>The diagnostic property set when the write can become an <c>Interlocked</c> call.</summary>
    public const string InterlockedProperty = "Interlocked";

    /// <summary>The diagnostic property set when the write is to a <c>Shared&lt;T&gt;.Value</c>, whose own <c>Lock()</c> guards it.</summary>
    public const string SharedValueProperty = "SharedValue";

    private static readonly ImmutableDictionary<string, string?> InterlockedFixable =
        ImmutableDictionary<string, string?>.Empty.Add(InterlockedProperty, "true");

    private static readonly ImmutableDictionary<string, string?> SharedValueWrite =
        ImmutableDictionary<string, string?>.Empty.Add(SharedValueProperty, "true");

    protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        var analysis = new Analysis(known, new SourceBodies(start.Compilation), new Implementations(start.Compilation), new OutsideAccesses(start.Compilation, known));
        RegisterLaunchMethodAction(start, known, analysis.AnalyzeThreadMethod);
        RegisterFilteredOperationAction(start, node => ThreadStarts.MayStart(node), analysis.AnalyzeThreadStart,
            SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression, SyntaxKind.ImplicitObjectCreationExpression, SyntaxKind.AddAssignmentExpression);
        if (known.Shared is not null || known.SharedArray is not null)
        {
            RegisterFilteredOperationAction(start, WritesSharedMemory, analysis.AnalyzeSharedMemoryWrite,
                SyntaxKind.SimpleAssignmentExpression, SyntaxKind.AddAssignmentExpression, SyntaxKind.SubtractAssignmentExpression,
                SyntaxKind.MultiplyAssignmentExpression, SyntaxKind.DivideAssignmentExpression, SyntaxKind.ModuloAssignmentExpression,
                SyntaxKind.AndAssignmentExpression, SyntaxKind.OrAssignmentExpression, SyntaxKind.ExclusiveOrAssignmentExpression,
                SyntaxKind.LeftShiftAssignmentExpression, SyntaxKind.RightShiftAssignmentExpression, SyntaxKind.CoalesceAssignmentExpression,
                SyntaxKind.PreIncrementExpression, SyntaxKind.PreDecrementExpression, SyntaxKind.PostIncrementExpression, SyntaxKind.PostDecrementExpression);
        }

        start.RegisterCompilationEndAction(analysis.ReportConflicts);
    }

    /// <summary>Whether the write's target is spelled <c>….Value</c> or <c>…[i]</c>, as a <c>Shared&lt;T&gt;</c> value or a <c>SharedArray&lt;T&gt;</c> element is.</summary>
    private static bool WritesSharedMemory(SyntaxNode node)
    {
        ExpressionSyntax? target = node switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left,
            PrefixUnaryExpressionSyntax prefix => prefix.Operand,
            PostfixUnaryExpressionSyntax postfix => postfix.Operand,
            _ => null,
        };
        return target is MemberAccessExpressionSyntax { Name.Identifier.ValueText: WellKnownNames.SharedValueProperty }
            or MemberBindingExpressionSyntax { Name.Identifier.ValueText: WellKnownNames.SharedValueProperty }
            or ElementAccessExpressionSyntax or ElementBindingExpressionSyntax;
    }

    /// <summary>The per-compilation state: resolved symbols, loaded bodies, and what concurrent code accesses.</summary>
    private sealed class Analysis(KnownSymbols known, SourceBodies bodies, Implementations implementations, OutsideAccesses outside)
    {
        private readonly ConcurrentBag<SharedAccess> _accesses = [];
        private readonly ConcurrentBag<ConcurrentContext> _contexts = [];
        private readonly ContextWalker _walker = new(known, bodies, implementations);

        public void AnalyzeThreadMethod(SymbolAnalysisContext context, IMethodSymbol method, LaunchKind kind)
        {
            if (kind == LaunchKind.Thread && bodies.BodyOf(method, context.CancellationToken) is { } body)
            {
                // The generated launcher can start the method any number of times: its runs overlap.
                Walk(body, new ConcurrentContext($"[RunInThread] method '{method.Name}'", method.Locations[0], startSyntax: null,
                    selfConcurrent: true, selfConcurrentForStatics: true, starterWaits: false), context.CancellationToken);
            }
        }

        public void AnalyzeThreadStart(IOperation operation, SyntaxNodeAnalysisContext context)
        {
            foreach (ThreadStart start in ThreadStarts.Find(operation, known))
            {
                bool parallel = operation is IInvocationOperation invocation
                    && KnownSymbols.Is(invocation.TargetMethod.ContainingType, known.Parallel);
                bool loopBody = parallel && ((IInvocationOperation)operation).TargetMethod.Name != "Invoke";
                bool repeats = loopBody || StartsRepeatedly(operation);
                bool once = IsStaticConstructorOrEntryPoint(context.ContainingSymbol);
                bool waits = parallel || IsAwaited(operation);
                if (start.Target is IMethodReferenceOperation reference)
                {
                    if (bodies.BodyOf(reference.Method, context.CancellationToken) is { } body)
                    {
                        Walk(body, new ConcurrentContext($"method '{reference.Method.Name}' given to {start.Starter}", operation.Syntax.GetLocation(),
                            operation.Syntax, repeats, repeats || !once, waits), context.CancellationToken);
                    }
                }
                else
                {
                    Walk(start.Target, new ConcurrentContext($"a lambda given to {start.Starter}", operation.Syntax.GetLocation(),
                        operation.Syntax, repeats, repeats || !once, waits), context.CancellationToken);
                }
            }
        }

        public void AnalyzeSharedMemoryWrite(IOperation write, SyntaxNodeAnalysisContext context)
        {
            if (write.WriteTarget()?.WalkDownConversions() is IPropertyReferenceOperation target
                && SharedMemoryKind(target) is { } kind
                && (write is not ISimpleAssignmentOperation assignment || (kind == WellKnownNames.SharedValueProperty && ReadsSameValue(assignment.Value, target)))
                && !LockScopes.IsHeld(write, known))
            {
                string advice = kind == WellKnownNames.SharedValueProperty
                    ? "every thread and worker process shares it; use its Add or Update, or write it inside its Lock() scope"
                    : "every thread and worker process shares the array; use Interlocked on the element (ref array[i]), or write it inside the array's Lock() scope";
                // Local to the write: reported at once, so the fix applies as the user types.
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnguardedSharedState, target.Syntax.GetLocation(),
                    SharedValueWrite, target.Syntax.ToString(), $"code that runs concurrently: {advice}"));
            }
        }

        public void ReportConflicts(CompilationAnalysisContext context)
        {
            ImmutableArray<SyntaxNode> covered = [.. _contexts.SelectMany(c => c.Covered)];
            foreach (Conflict conflict in Conflicts.Find(_accesses, outside, covered, context.CancellationToken))
            {
                SharedAccess write = conflict.Write;
                ConcurrentContext thread = write.Context!;
                string started = thread.StartSyntax is null ? string.Empty : $" (started at {Position(thread.Start)})";
                string other = conflict.WithItself
                    ? "other runs of it can write it at the same time"
                    : $"{conflict.Other.Where}{(conflict.Other.Context?.StartSyntax is null ? string.Empty : $" (started at {Position(conflict.Other.Context.Start)})")} {(conflict.Other.IsWrite ? "writes" : "reads")} it at {Position(conflict.Other.Location)}";
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnguardedSharedState, write.Location,
                    [conflict.Other.Location, thread.Start], CanUseInterlocked(write) ? InterlockedFixable : null,
                    write.Member.Name, $"{write.Where}{started}, and {other}"));
            }
        }

        private void Walk(IOperation root, ConcurrentContext context, CancellationToken cancellationToken)
        {
            foreach (SharedAccess access in _walker.Walk(root, context, cancellationToken))
            {
                _accesses.Add(access);
            }

            _contexts.Add(context);
        }

        /// <summary>Whether the start runs more than once: in a loop, or in a lambda or local function (a callback).</summary>
        private static bool StartsRepeatedly(IOperation operation)
        {
            for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
            {
                switch (current)
                {
                    case ILoopOperation or IAnonymousFunctionOperation or ILocalFunctionOperation:
                        return true;
                    case IMethodBodyOperation or IConstructorBodyOperation:
                        return false;
                }
            }

            return false;
        }

        private static bool IsAwaited(IOperation operation)
        {
            IOperation current = operation;
            while (current.Parent is IConversionOperation or IParenthesizedOperation)
            {
                current = current.Parent;
            }

            return current.Parent is IAwaitOperation
                || (current.Parent is IInvocationOperation { TargetMethod.Name: "Wait" or "GetAwaiter" } call && call.Instance == current);
        }

        private static bool IsStaticConstructorOrEntryPoint(ISymbol? symbol)
        {
            while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
            {
                symbol = symbol.ContainingSymbol;
            }

            return symbol is IMethodSymbol method
                && (method.MethodKind == MethodKind.StaticConstructor
                    || (method.IsStatic && method.Name is "Main" or "<Main>$"));
        }

        private static string Position(Location location)
        {
            FileLinePositionSpan span = location.GetLineSpan();
            string path = span.Path ?? string.Empty;
            int slash = System.Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
            return $"{path.Substring(slash + 1)}:{span.StartLinePosition.Line + 1}";
        }

        private static bool CanUseInterlocked(SharedAccess write)
        {
            bool integer = write.Member is IFieldSymbol { IsVolatile: false, Type.SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64 };
            IOperation operation = write.Operation.Parent!;
            bool addition = operation is IIncrementOrDecrementOperation
                || operation is ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract };
            return integer && addition && operation.Parent is IExpressionStatementOperation;
        }

        /// <summary><c>Value</c> for a <c>Shared&lt;T&gt;.Value</c>, <c>[]</c> for a <c>SharedArray&lt;T&gt;</c> element, else <see langword="null"/>.</summary>
        private string? SharedMemoryKind(IPropertyReferenceOperation property) =>
            property.Property.Name == WellKnownNames.SharedValueProperty && KnownSymbols.Is(property.Property.ContainingType, known.Shared)
                ? WellKnownNames.SharedValueProperty
                : property.Property.IsIndexer && KnownSymbols.Is(property.Property.ContainingType, known.SharedArray) ? "[]" : null;

        private bool ReadsSameValue(IOperation value, IPropertyReferenceOperation target)
        {
            ISymbol? receiver = ReceiverSymbol(target.Instance);
            foreach (IOperation operation in value.DescendantsAndSelf())
            {
                if (operation is IPropertyReferenceOperation read
                    && SharedMemoryKind(read) is not null
                    && SymbolEqualityComparer.Default.Equals(read.Property.OriginalDefinition, target.Property.OriginalDefinition)
                    && SymbolEqualityComparer.Default.Equals(ReceiverSymbol(read.Instance), receiver))
                {
                    return true;
                }
            }

            return false;
        }

        private static ISymbol? ReceiverSymbol(IOperation? instance) => instance?.WalkDownConversions() switch
        {
            IPropertyReferenceOperation property => property.Property,
            IFieldReferenceOperation field => field.Field,
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };
    }
}
