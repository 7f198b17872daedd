using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ParallelDsl.Analyzers.Concurrency;

/// <summary>A reference to a member that threads may share, with the object it goes through.</summary>
/// <param name="Member">The field or auto-property.</param>
/// <param name="Instance">The object the member belongs to, or <see langword="null"/> for a static member.</param>
/// <param name="Kind">How the reference uses the member.</param>
/// <param name="Atomic">Whether the access is ordered without a lock.</param>
/// <param name="LazyInitialization">Whether the write only fills a member that is still null.</param>
internal readonly record struct MemberReference(ISymbol Member, IOperation? Instance, AccessKind Kind, bool Atomic, bool LazyInitialization);

/// <summary>Decides which operations read or write state that threads may share, and how.</summary>
internal static class SharedMembers
{
    /// <summary>The shared member <paramref name="operation"/> reads or writes, or <see langword="null"/> when it touches none.</summary>
    public static MemberReference? Resolve(IOperation operation, KnownSymbols known)
    {
        ISymbol member;
        IOperation? instance;
        switch (operation)
        {
            case IFieldReferenceOperation field when IsTracked(field.Field, known):
                member = field.Field;
                instance = field.Instance;
                break;
            case IPropertyReferenceOperation property when IsAutoProperty(property.Property):
                member = property.Property;
                instance = property.Instance;
                break;
            case ILocalReferenceOperation { Local.IsRef: true } local when RefTarget(local) is { } target && IsTracked(target.Field, known):
                // 'ref int c = ref counter; c++' writes the field.
                member = target.Field;
                instance = target.Instance;
                break;
            default:
                return null;
        }

        return KindOf(operation, member) is { } kind ? new MemberReference(member, instance, kind.Kind, kind.Atomic, kind.Lazy) : null;
    }

    private static bool IsTracked(IFieldSymbol field, KnownSymbols known) =>
        !field.IsConst
        && !field.IsReadOnly
        && !field.IsImplicitlyDeclared
        && !KnownSymbols.HasAttribute(field, known.ThreadStaticAttribute)
        && !KnownSymbols.Is(field.Type, known.ThreadLocal)
        && !KnownSymbols.Is(field.Type, known.AsyncLocal);

    /// <summary>A settable property of this compilation whose accessors the compiler writes: a field in disguise.</summary>
    private static bool IsAutoProperty(IPropertySymbol property)
    {
        if (property.IsIndexer || property.IsAbstract || property.SetMethod is null or { IsInitOnly: true } || property.DeclaringSyntaxReferences.Length == 0)
        {
            return false;
        }

        foreach (ISymbol member in property.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol { IsImplicitlyDeclared: true } backing && SymbolEqualityComparer.Default.Equals(backing.AssociatedSymbol, property))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The field a ref local is bound to (<c>ref int c = ref counter;</c>).</summary>
    private static IFieldReferenceOperation? RefTarget(ILocalReferenceOperation local)
    {
        if (local.Local.DeclaringSyntaxReferences.Length != 1
            || local.Local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax declarator
            || local.SemanticModel?.GetOperation(declarator) is not IVariableDeclaratorOperation { Initializer.Value: { } value })
        {
            return null;
        }

        return value.WalkDownConversions() as IFieldReferenceOperation;
    }

    private static (AccessKind Kind, bool Atomic, bool Lazy)? KindOf(IOperation reference, ISymbol member)
    {
        bool isVolatile = member is IFieldSymbol { IsVolatile: true };
        switch (reference.Parent)
        {
            case ISimpleAssignmentOperation { IsRef: true }:
                return null;
            case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                return (AccessKind.Write, isVolatile, IsLazyInitialization(assignment, member));
            case ICoalesceAssignmentOperation coalesce when coalesce.Target == reference:
                return (AccessKind.Read | AccessKind.Write, false, true);
            case ICompoundAssignmentOperation compound when compound.Target == reference:
                return (AccessKind.Read | AccessKind.Write, false, false);
            case IIncrementOrDecrementOperation:
                return (AccessKind.Read | AccessKind.Write, false, false);
            case IArgumentOperation { Parameter.RefKind: not RefKind.None } argument:
                // Interlocked and Volatile order the access; other code that takes the field by reference is not followed.
                return argument.Parent is IInvocationOperation { TargetMethod: var method } && IsAtomicApi(method.ContainingType)
                    ? (method.Name == "Read" ? AccessKind.Read : AccessKind.Read | AccessKind.Write, true, false)
                    : null;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.IsRef: true } }:
                return null;
            default:
                return (AccessKind.Read, isVolatile, false);
        }
    }

    private static bool IsAtomicApi(INamedTypeSymbol? type) =>
        type is { Name: "Interlocked" or "Volatile" } && type.ContainingNamespace?.ToDisplayString() == "System.Threading";

    /// <summary>
    /// Whether <paramref name="assignment"/> only fills <paramref name="member"/> when it is still null
    /// (<c>if (x == null) x = …</c>, <c>x ?? (x = …)</c>): threads that race there each store an equivalent value.
    /// </summary>
    private static bool IsLazyInitialization(ISimpleAssignmentOperation assignment, ISymbol member)
    {
        IOperation current = assignment;
        for (int level = 0; level < 4 && current.Parent is { } parent; level++, current = parent)
        {
            switch (parent)
            {
                case ICoalesceOperation coalesce when coalesce.WhenNull == current:
                    return Refers(coalesce.Value, member);
                case IConditionalOperation conditional when conditional.WhenTrue == current:
                    return IsNullCheck(conditional.Condition, member);
                case IExpressionStatementOperation or IBlockOperation or IConversionOperation or IParenthesizedOperation:
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    private static bool IsNullCheck(IOperation condition, ISymbol member) => condition.WalkDownConversions() switch
    {
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } binary =>
            (Refers(binary.LeftOperand, member) && IsNull(binary.RightOperand)) || (Refers(binary.RightOperand, member) && IsNull(binary.LeftOperand)),
        IIsPatternOperation { Pattern: IConstantPatternOperation { Value: var value } } pattern => Refers(pattern.Value, member) && IsNull(value),
        _ => false,
    };

    private static bool IsNull(IOperation operation) => operation.WalkDownConversions().ConstantValue is { HasValue: true, Value: null };

    private static bool Refers(IOperation operation, ISymbol member) => operation.WalkDownConversions() switch
    {
        IFieldReferenceOperation field => SymbolEqualityComparer.Default.Equals(field.Field, member),
        IPropertyReferenceOperation property => SymbolEqualityComparer.Default.Equals(property.Property, member),
        // var handlers = _handlers; if (handlers is null) { …; _handlers = handlers; }
        ILocalReferenceOperation local => CopiedFrom(local, member),
        _ => false,
    };

    private static bool CopiedFrom(ILocalReferenceOperation local, ISymbol member) =>
        local.Local.DeclaringSyntaxReferences.Length == 1
        && local.Local.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax declarator
        && local.SemanticModel?.GetOperation(declarator) is IVariableDeclaratorOperation { Initializer.Value: { } value }
        && value.WalkDownConversions() is not ILocalReferenceOperation
        && Refers(value, member);
}
