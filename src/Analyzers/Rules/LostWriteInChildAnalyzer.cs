using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Analyzers.Rules;

/// <summary>
/// PDSL0004: a [RunInProcess] method runs in a fresh process with its own statics and with copies of its arguments
/// (and, for an instance method, of its object), so a static field it (or what it calls) writes, or a field, element
/// or property of an argument or of the instance it changes, is lost when the child ends: the parent's copy never changes.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class LostWriteInChildAnalyzer() : ParallelDslAnalyzer(DiagnosticDescriptors.LostWriteInChild)
{
    private const int MaxCallDepth = 3;

    protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        if (known.RunInProcessAttribute is null)
        {
            return;
        }

        var bodies = new SourceBodies(start.Compilation);
        RegisterLaunchMethodAction(start, known, (context, method, kind) =>
        {
            if (kind == LaunchKind.Process && bodies.BodyOf(method, context.CancellationToken) is { } body)
            {
                Analyze(context, body, method, known, bodies);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, IOperation block, IMethodSymbol root, KnownSymbols known, SourceBodies bodies)
    {
        string rootDescription = $"[RunInProcess] method '{root.Name}'";
        foreach (ReachedOperation reached in bodies.Walk(block, MaxCallDepth, context.CancellationToken))
        {
            if (reached.Operation.WriteTarget()?.WalkDownConversions() is not { } target)
            {
                continue;
            }

            if (LostWrite(target, reached.Depth, root, known) is { } lost)
            {
                string where = reached.Method is null ? rootDescription : $"'{reached.Method.Name}', called from {rootDescription}";
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.LostWriteInChild, target.Syntax.GetLocation(), lost, where));
            }
        }
    }

    /// <summary>
    /// What a write to <paramref name="target"/>, <paramref name="depth"/> calls below <paramref name="root"/>, changes
    /// that a child process would lose, or <see langword="null"/> when the write stays visible.
    /// </summary>
    public static string? LostWrite(IOperation target, int depth, IMethodSymbol root, KnownSymbols known) => target switch
    {
        IFieldReferenceOperation { Field: { IsStatic: true, IsConst: false } field } => field.Name,
        _ when depth == 0 && IsPartOfAnArgument(target, root, known) => target.Syntax.ToString(),
        _ => null,
    };

    /// <summary>
    /// Whether <paramref name="target"/> is a field, property or element reached from a parameter of
    /// <paramref name="root"/>: the child holds a copy of that argument. Queues, pipes and shared memory passed as
    /// arguments are connected ends, not copies, so writes through them do arrive.
    /// </summary>
    private static bool IsPartOfAnArgument(IOperation target, IMethodSymbol root, KnownSymbols known)
    {
        IOperation? current = target;
        bool throughMember = false;
        while (true)
        {
            if (current is not null && (known.IsSharedMemoryType(current.Type)
                || (current.Type is { } type && TransferableTypes.Describe(type, known.Compilation.Assembly).Kind == ShapeKind.CrossProcessHandle)))
            {
                return false;
            }

            switch (current?.WalkDownConversions())
            {
                case IFieldReferenceOperation field:
                    current = field.Instance;
                    break;
                case IPropertyReferenceOperation property:
                    current = property.Instance;
                    break;
                case IArrayElementReferenceOperation element:
                    current = element.ArrayReference;
                    break;
                case IParameterReferenceOperation parameter:
                    return throughMember && SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, root);
                case IInstanceReferenceOperation:
                    // An instance method runs in the child on a copy of its object: what it changes there stays there.
                    return throughMember && !root.IsStatic;
                default:
                    return false;
            }

            throughMember = true;
        }
    }
}
