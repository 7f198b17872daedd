using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ParallelDsl.Analyzers;

/// <summary>
/// Decides whether an operation runs while a lock is held: inside <c>lock</c>, a <c>using</c> over a lock scope
/// (<c>Shared&lt;T&gt;.Lock()</c>, <c>Lock.EnterScope()</c>), a <c>try</c> whose <c>finally</c> releases a lock, or after
/// <c>Monitor.Enter</c>/<c>SemaphoreSlim.Wait</c> and the like earlier in the same block. It errs towards "held":
/// a missed race is better than a warning on correct code.
/// </summary>
internal static class LockScopes
{
    private static readonly string[] LockTypes = ["Monitor", "Lock", "SemaphoreSlim", "Semaphore", "Mutex", "ReaderWriterLockSlim", "ReaderWriterLock", "SpinLock"];

    /// <summary>Whether <paramref name="operation"/> runs under a lock taken in the same method or lambda.</summary>
    public static bool IsHeld(IOperation operation, KnownSymbols known)
    {
        IOperation? child = null;
        for (IOperation? current = operation; current is not null; child = current, current = current.Parent)
        {
            switch (current)
            {
                case ILockOperation:
                    return true;
                case IUsingOperation @using when child != @using.Resources && AcquiresLock(@using.Resources):
                    return true;
                case ITryOperation { Finally: { } @finally } @try when child == @try.Body && ReleasesLock(@finally):
                    return true;
                case IBlockOperation block when child is not null && AcquiredEarlierIn(block, child):
                    return true;
                case IAnonymousFunctionOperation lambda when ThreadStarts.RunsOnAnotherThread(lambda, known):
                case ILocalFunctionOperation or IMethodBodyOperation:
                    return false;
            }
        }

        return false;
    }

    private static bool AcquiredEarlierIn(IBlockOperation block, IOperation child)
    {
        foreach (IOperation statement in block.Operations)
        {
            if (statement == child)
            {
                return false;
            }

            if (statement is IUsingDeclarationOperation or IExpressionStatementOperation && AcquiresLock(statement))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AcquiresLock(IOperation operation)
    {
        foreach (IOperation descendant in operation.DescendantsAndSelf())
        {
            if (descendant is IInvocationOperation { TargetMethod: var method } && IsAcquire(method))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAcquire(IMethodSymbol method)
    {
        string name = method.Name;
        if (name.IndexOf("Lock", System.StringComparison.Ordinal) >= 0 && !name.StartsWith("Exit", System.StringComparison.Ordinal))
        {
            return true;
        }

        return IsLockType(method.ContainingType)
               && (name.StartsWith("Enter", System.StringComparison.Ordinal) || name.StartsWith("TryEnter", System.StringComparison.Ordinal)
                   || name.StartsWith("Wait", System.StringComparison.Ordinal) || name.StartsWith("Acquire", System.StringComparison.Ordinal));
    }

    private static bool ReleasesLock(IOperation @finally)
    {
        foreach (IOperation descendant in @finally.Descendants())
        {
            if (descendant is IInvocationOperation { TargetMethod.Name: var name }
                && (name.StartsWith("Exit", System.StringComparison.Ordinal) || name.StartsWith("Release", System.StringComparison.Ordinal)
                    || name.IndexOf("Unlock", System.StringComparison.Ordinal) >= 0))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLockType(INamedTypeSymbol? type)
    {
        if (type?.ContainingNamespace?.ToDisplayString() != "System.Threading")
        {
            return false;
        }

        return System.Array.IndexOf(LockTypes, type.Name) >= 0;
    }
}
