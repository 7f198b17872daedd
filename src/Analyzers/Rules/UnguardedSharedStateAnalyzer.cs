using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0001: a field written by code that runs on several threads at once — a [RunInThread] method, a delegate given
/// to <c>new Thread</c>, <c>Task.Run</c>, the thread pool or <c>Parallel</c>, and what they call — races unless a lock,
/// <c>Interlocked</c> or <c>Volatile</c> orders the writes. A <c>Shared&lt;T&gt;.Value</c> read-modify-write races the
/// same way across processes unless it runs inside the value's <c>Lock()</c> scope.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class UnguardedSharedStateAnalyzer() : ParallelDslAnalyzer(DiagnosticDescriptors.UnguardedSharedState)
{
    /// <summary>The diagnostic property set when the write can become an <c>Interlocked</c> call.</summary>
    public const string InterlockedProperty = "Interlocked";

    /// <summary>The diagnostic property set when the write is to a <c>Shared&lt;T&gt;.Value</c>, whose own <c>Lock()</c> guards it.</summary>
    public const string SharedValueProperty = "SharedValue";

    /// <summary>How many calls deep the rule follows code that runs on a thread into the compilation's own methods.</summary>
    private const int MaxCallDepth = 3;

    private static readonly ImmutableDictionary<string, string?> InterlockedFixable =
        ImmutableDictionary<string, string?>.Empty.Add(InterlockedProperty, "true");

    private static readonly ImmutableDictionary<string, string?> SharedValueWrite =
        ImmutableDictionary<string, string?>.Empty.Add(SharedValueProperty, "true");

    protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        var analysis = new Analysis(known, new SourceBodies(start.Compilation));
        RegisterLaunchMethodAction(start, known, analysis.AnalyzeThreadMethod);
        RegisterFilteredOperationAction(start, node => ThreadStarts.MayStart(node), analysis.AnalyzeThreadStart,
            SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression, SyntaxKind.ImplicitObjectCreationExpression);
        if (known.Shared is not null)
        {
            RegisterFilteredOperationAction(start, WritesAValueProperty, analysis.AnalyzeSharedValueWrite,
                SyntaxKind.SimpleAssignmentExpression, SyntaxKind.AddAssignmentExpression, SyntaxKind.SubtractAssignmentExpression,
                SyntaxKind.MultiplyAssignmentExpression, SyntaxKind.DivideAssignmentExpression, SyntaxKind.ModuloAssignmentExpression,
                SyntaxKind.AndAssignmentExpression, SyntaxKind.OrAssignmentExpression, SyntaxKind.ExclusiveOrAssignmentExpression,
                SyntaxKind.LeftShiftAssignmentExpression, SyntaxKind.RightShiftAssignmentExpression, SyntaxKind.CoalesceAssignmentExpression,
                SyntaxKind.PreIncrementExpression, SyntaxKind.PreDecrementExpression, SyntaxKind.PostIncrementExpression, SyntaxKind.PostDecrementExpression);
        }
    }

    /// <summary>Whether the write's target is spelled <c>….Value</c>, as a <c>Shared&lt;T&gt;</c> value's is.</summary>
    private static bool WritesAValueProperty(SyntaxNode node)
    {
        ExpressionSyntax? target = node switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left,
            PrefixUnaryExpressionSyntax prefix => prefix.Operand,
            PostfixUnaryExpressionSyntax postfix => postfix.Operand,
            _ => null,
        };
        return target is MemberAccessExpressionSyntax { Name.Identifier.ValueText: MetadataNames.SharedValueProperty }
            or MemberBindingExpressionSyntax { Name.Identifier.ValueText: MetadataNames.SharedValueProperty };
    }

    /// <summary>The per-compilation state: resolved symbols, loaded bodies, and the writes already reported.</summary>
    private sealed class Analysis(KnownSymbols known, SourceBodies bodies)
    {
        // A helper called from two thread roots is reached twice; its writes are reported once.
        private readonly ConcurrentDictionary<Location, byte> _reported = new();

        public void AnalyzeThreadMethod(SymbolAnalysisContext context, IMethodSymbol method, LaunchKind kind)
        {
            if (kind == LaunchKind.Thread && bodies.BodyOf(method, context.CancellationToken) is { } body)
            {
                AnalyzeRoot(body, $"[RunInThread] method '{method.Name}'", context.ReportDiagnostic, context.CancellationToken);
            }
        }

        public void AnalyzeThreadStart(IOperation operation, SyntaxNodeAnalysisContext context)
        {
            foreach (ThreadStart start in ThreadStarts.Find(operation, known))
            {
                if (start.Target is IMethodReferenceOperation reference)
                {
                    if (bodies.BodyOf(reference.Method, context.CancellationToken) is { } body)
                    {
                        AnalyzeRoot(body, $"method '{reference.Method.Name}' given to {start.Starter}", context.ReportDiagnostic, context.CancellationToken);
                    }
                }
                else
                {
                    AnalyzeRoot(start.Target, $"a lambda given to {start.Starter}", context.ReportDiagnostic, context.CancellationToken);
                }
            }
        }

        public void AnalyzeSharedValueWrite(IOperation write, SyntaxNodeAnalysisContext context)
        {
            if (write.WriteTarget()?.WalkDownConversions() is IPropertyReferenceOperation target
                && IsSharedValue(target)
                && (write is not ISimpleAssignmentOperation assignment || ReadsSameValue(assignment.Value, target))
                && !LockScopes.IsHeld(write, known))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnguardedSharedState, target.Syntax.GetLocation(),
                    SharedValueWrite, target.Syntax.ToString(), "every thread and worker process shares it; use its Add or Update, or write it inside its Lock() scope"));
            }
        }

        private void AnalyzeRoot(IOperation root, string rootDescription, System.Action<Diagnostic> report, CancellationToken cancellationToken)
        {
            foreach (ReachedOperation reached in bodies.Walk(root, MaxCallDepth, cancellationToken))
            {
                IOperation write = reached.Operation;
                if (write.WriteTarget()?.WalkDownConversions() is not IFieldReferenceOperation target
                    || !IsSharedField(target, write)
                    || LockScopes.IsHeld(write, known))
                {
                    continue;
                }

                Location location = target.Syntax.GetLocation();
                if (_reported.TryAdd(location, 0))
                {
                    string where = reached.Method is null ? rootDescription : $"'{reached.Method.Name}', called from {rootDescription}";
                    report(Diagnostic.Create(DiagnosticDescriptors.UnguardedSharedState, location,
                        CanUseInterlocked(target, write) ? InterlockedFixable : null, target.Field.Name, where));
                }
            }
        }

        private bool IsSharedField(IFieldReferenceOperation target, IOperation write)
        {
            IFieldSymbol field = target.Field;
            if (field.IsConst
                || field.IsReadOnly
                || (field.IsVolatile && write is ISimpleAssignmentOperation)
                || KnownSymbols.HasAttribute(field, known.ThreadStaticAttribute)
                || KnownSymbols.Is(field.Type, known.ThreadLocal)
                || KnownSymbols.Is(field.Type, known.AsyncLocal))
            {
                return false;
            }

            // An instance field is shared when it belongs to this object (which the starting thread also holds) or
            // to an object kept in a field; one reached through a local or a parameter may well be private to the thread.
            return field.IsStatic || target.Instance?.WalkDownConversions() is IInstanceReferenceOperation or IFieldReferenceOperation;
        }

        private static bool CanUseInterlocked(IFieldReferenceOperation target, IOperation write)
        {
            bool integer = target.Field.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64;
            bool addition = write is IIncrementOrDecrementOperation
                || write is ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract };
            return integer && addition && !target.Field.IsVolatile && write.Parent is IExpressionStatementOperation;
        }

        private bool IsSharedValue(IPropertyReferenceOperation property) =>
            property.Property.Name == MetadataNames.SharedValueProperty && KnownSymbols.Is(property.Property.ContainingType, known.Shared);

        private bool ReadsSameValue(IOperation value, IPropertyReferenceOperation target)
        {
            ISymbol? receiver = ReceiverSymbol(target.Instance);
            foreach (IOperation operation in value.DescendantsAndSelf())
            {
                if (operation is IPropertyReferenceOperation read
                    && IsSharedValue(read)
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
