using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ParallelDsl.Analyzers;

/// <summary>
/// Decides whether an operation runs while a lock is held: inside <c>lock</c>, a <c>using</c> over a lock scope
/// (<c>Shared&lt;T&gt;.Lock()</c>, <c>Lock.EnterScope()</c>), a <c>try</c> whose <c>finally</c> releases a lock, or after
/// <c>Monitor.Enter</c>/<c>SemaphoreSlim.Wait</c> and the like earlier in the same block (also as an <c>if</c> that leaves when the lock is not taken),
/// or in the branch of an <c>if</c> whose condition takes it (<c>if (Monitor.TryEnter(gate))</c>). It errs towards "held":
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
                case IConditionalOperation conditional when child == conditional.WhenTrue && AcquiresLock(conditional.Condition):
                    // if (Monitor.TryEnter(gate)) { … }, if (TryEnterLock()) { … }
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

            // if (!semaphore.Wait(timeout)) return; … : what follows runs with the lock taken.
            if (statement is IConditionalOperation { WhenFalse: null } conditional && Exits(conditional.WhenTrue) && AcquiresLock(conditional.Condition))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Exits(IOperation operation) =>
        operation is IReturnOperation or IThrowOperation or IBranchOperation
        || (operation is IBlockOperation { Operations.Length: > 0 } block && Exits(block.Operations[block.Operations.Length - 1]))
        || (operation is IExpressionStatementOperation { Operation: IThrowOperation });

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
