using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ParallelDsl.Analyzers.Concurrency;

/// <summary>
/// Objects a thread creates and keeps to itself are owned by it: no other thread can reach them, so their fields
/// cannot race. An object is owned when it is created in the code at hand (<c>new Parser()</c>) and held only in
/// locals that are never published — stored in a field, an element or a collection, returned or captured by a lambda.
/// A value-type local is a copy: always owned. Ownership flows through calls: inside a method called on an owned
/// object, <c>this</c> is owned, and so is a parameter that received an owned object.
/// </summary>
internal static class Ownership
{
    /// <summary>Method names that hand their argument to a collection, a channel or another thread.</summary>
    private static readonly string[] StoringMethods = ["Add", "Enqueue", "Push", "Post", "Write", "TryAdd", "TryWrite", "Insert", "Register", "Publish", "Set", "Put", "Offer", "QueueUserWorkItem"];

    /// <summary>Whether the object <paramref name="instance"/> evaluates to, in <paramref name="scope"/>, is owned by the running thread.</summary>
    public static bool IsOwned(IOperation? instance, in OwnerScope scope)
    {
        switch (instance?.WalkDownConversions())
        {
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver }:
                // The object an initializer fills in (new Message { Topic = … }): just created.
                return true;
            case IInstanceReferenceOperation:
                return scope.ThisIsOwned;
            case IObjectCreationOperation:
                return true;
            case ILocalReferenceOperation local:
                return IsOwnedLocal(local.Local, scope.Body);
            case IParameterReferenceOperation parameter:
                return (parameter.Parameter.Type.IsValueType && parameter.Parameter.RefKind == RefKind.None)
                       || (scope.OwnedParameters & (1L << System.Math.Min(parameter.Parameter.Ordinal, 63))) != 0;
            case IFieldReferenceOperation { Field.IsStatic: false } field:
                // A field of an owned object holds what that object created: owned too.
                return IsOwned(field.Instance, scope);
            default:
                return false;
        }
    }

    /// <summary>The parameters of <paramref name="invocation"/>'s target that receive owned objects, as a bit mask by ordinal.</summary>
    public static long OwnedArguments(IInvocationOperation invocation, in OwnerScope scope)
    {
        long owned = 0;
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is { Ordinal: < 63 } parameter && IsOwned(argument.Value, scope))
            {
                owned |= 1L << parameter.Ordinal;
            }
        }

        return owned;
    }

    private static bool IsOwnedLocal(ILocalSymbol local, IOperation body)
    {
        if (local.Type.IsValueType && !local.IsRef && !IsCaptured(local, body))
        {
            return true;
        }

        bool created = false;
        foreach (IOperation operation in body.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    // 'Socket? socket = null;' holds no object yet: what is assigned later decides.
                    if (declarator.Initializer is { } initializer && !IsNull(initializer.Value))
                    {
                        if (!IsCreation(initializer.Value))
                        {
                            return false;
                        }

                        created = true;
                    }

                    break;
                case IDeclarationPatternOperation pattern when SymbolEqualityComparer.Default.Equals(pattern.DeclaredSymbol, local):
                    return false;
                case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local):
                    if (reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference)
                    {
                        if (!IsCreation(assignment.Value))
                        {
                            return false;
                        }

                        created = true;
                    }
                    else if (Publishes(reference, body))
                    {
                        return false;
                    }

                    break;
            }
        }

        return created;
    }

    private static bool IsCaptured(ILocalSymbol local, IOperation body)
    {
        foreach (IOperation operation in body.Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local) && InsideLambda(reference, body))
            {
                return true;
            }
        }

        return false;
    }

    private static bool InsideLambda(IOperation operation, IOperation body)
    {
        for (IOperation? enclosing = operation.Parent; enclosing is not null && enclosing != body; enclosing = enclosing.Parent)
        {
            if (enclosing is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNull(IOperation value) => value.WalkDownConversions() is { ConstantValue: { HasValue: true, Value: null } } or IDefaultValueOperation;

    private static bool IsCreation(IOperation value) => value.WalkDownConversions() is IObjectCreationOperation or IArrayCreationOperation;

    private static bool Stores(string name)
    {
        foreach (string storing in StoringMethods)
        {
            if (name.StartsWith(storing, System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether this use of a local lets the object escape to code that another thread may run.</summary>
    private static bool Publishes(ILocalReferenceOperation reference, IOperation body)
    {
        IOperation current = reference;
        while (current.Parent is IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        if (InsideLambda(reference, body))
        {
            return true;
        }

        return current.Parent switch
        {
            ISimpleAssignmentOperation assignment => assignment.Value == current,
            // Passed to other code, the object stays the thread's unless that code stores it (a collection, a channel).
            IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: var name } } => Stores(name),
            IReturnOperation or IArrayInitializerOperation or ITupleOperation or IVariableInitializerOperation
                or IMemberInitializerOperation or IAnonymousObjectCreationOperation => true,
            _ => false,
        };
    }
}

/// <summary>What the running thread owns in one method body: <c>this</c>, and the parameters (by ordinal) that received owned objects.</summary>
internal readonly record struct OwnerScope(IOperation Body, bool ThisIsOwned, long OwnedParameters);
