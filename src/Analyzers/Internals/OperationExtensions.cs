using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ParallelDsl.Analyzers;

/// <summary>Small helpers over <see cref="IOperation"/> trees shared by the rules.</summary>
internal static class OperationExtensions
{
    /// <summary>The operation under any implicit or explicit conversions and parentheses.</summary>
    public static IOperation WalkDownConversions(this IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="operation"/> reads a field, a property or an array element, and if so the object it
    /// reads from (<c>x</c> in <c>x.F</c>, <c>x.P</c>, <c>x[i]</c>; <see langword="null"/> for a static member).
    /// </summary>
    public static bool TryGetReceiver(this IOperation operation, out IOperation? receiver)
    {
        receiver = operation switch
        {
            IFieldReferenceOperation field => field.Instance,
            IPropertyReferenceOperation property => property.Instance,
            IArrayElementReferenceOperation element => element.ArrayReference,
            _ => null,
        };
        return operation is IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation;
    }

    /// <summary>The assignment target of a write (<c>x = …</c>, <c>x += …</c>, <c>x++</c>), or <see langword="null"/>.</summary>
    public static IOperation? WriteTarget(this IOperation operation) => operation switch
    {
        IAssignmentOperation assignment => assignment.Target,
        IIncrementOrDecrementOperation increment => increment.Target,
        _ => null,
    };
}
