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

    /// <summary>The assignment target of a write (<c>x = …</c>, <c>x += …</c>, <c>x++</c>), or <see langword="null"/>.</summary>
    public static IOperation? WriteTarget(this IOperation operation) => operation switch
    {
        IAssignmentOperation assignment => assignment.Target,
        IIncrementOrDecrementOperation increment => increment.Target,
        _ => null,
    };
}
