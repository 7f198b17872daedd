using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ParallelDsl.Analyzers;

/// <summary>A delegate handed to an API that runs it on another thread.</summary>
/// <param name="Target">The lambda (<see cref="IAnonymousFunctionOperation"/>) or method group (<see cref="IMethodReferenceOperation"/>).</param>
/// <param name="Starter">How the code starts it, for messages: <c>new Thread</c>, <c>Task.Run</c>, <c>Parallel.For</c>, <c>new Timer</c>.</param>
internal readonly record struct ThreadStart(IOperation Target, string Starter);

/// <summary>Recognizes the framework calls that run a delegate concurrently with their caller, timers among them.</summary>
internal static class ThreadStarts
{
    private const string ElapsedEvent = "Elapsed";

    private static readonly HashSet<string> StarterMethods =
    [
        "Run", "StartNew", "QueueUserWorkItem", "UnsafeQueueUserWorkItem", "For", "ForEach", "ForAsync", "ForEachAsync", "Invoke",
    ];

    /// <summary>The delegates <paramref name="operation"/> (an invocation or object creation) runs on other threads.</summary>
    public static IEnumerable<ThreadStart> Find(IOperation operation, KnownSymbols known, bool threadConstructorOnly = false)
    {
        string starter;
        IEnumerable<IOperation> arguments;
        switch (operation)
        {
            case IObjectCreationOperation creation when KnownSymbols.Is(creation.Type, known.Thread):
                starter = "new Thread";
                arguments = creation.Arguments.Select(a => a.Value);
                break;
            case IObjectCreationOperation creation when !threadConstructorOnly && KnownSymbols.Is(creation.Type, known.Timer):
                starter = "new Timer";
                arguments = creation.Arguments.Select(a => a.Value);
                break;
            case IInvocationOperation invocation when !threadConstructorOnly && IsStarter(invocation.TargetMethod, known):
                starter = $"{invocation.TargetMethod.ContainingType.Name}.{invocation.TargetMethod.Name}";
                arguments = invocation.Arguments.Select(a => a.Value);
                break;
            case IEventAssignmentOperation { Adds: true, EventReference: IEventReferenceOperation { Event: var timerEvent } } subscription
                when !threadConstructorOnly && timerEvent.Name == ElapsedEvent && KnownSymbols.Is(timerEvent.ContainingType, known.TimersTimer):
                // A System.Timers.Timer raises Elapsed on a thread-pool thread.
                starter = "Timer.Elapsed";
                arguments = [subscription.HandlerValue];
                break;
            default:
                yield break;
        }

        foreach (IOperation argument in arguments)
        {
            IOperation value = argument.WalkDownConversions();
            IEnumerable<IOperation> values = value is IArrayCreationOperation { Initializer: { } initializer }
                ? initializer.ElementValues
                : [value];
            foreach (IOperation element in values)
            {
                if (Target(element) is { } target)
                {
                    yield return new ThreadStart(target, starter);
                }
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="node"/> (an invocation or object creation) may start a thread, judged by its syntax
    /// alone, so that only such nodes get bound.
    /// </summary>
    public static bool MayStart(SyntaxNode node, bool threadConstructorOnly = false) => node switch
    {
        ObjectCreationExpressionSyntax creation => RightmostName(creation.Type) is "Thread" || (!threadConstructorOnly && RightmostName(creation.Type) is "Timer"),
        ImplicitObjectCreationExpressionSyntax => true,
        AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: ElapsedEvent } } => !threadConstructorOnly,
        InvocationExpressionSyntax invocation => !threadConstructorOnly && InvokedName(invocation) is { } name && StarterMethods.Contains(name),
        _ => false,
    };

    /// <summary>The name of the method <paramref name="invocation"/> calls, as written.</summary>
    public static string? InvokedName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        _ => null,
    };

    private static string? RightmostName(TypeSyntax type) => type switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => null,
    };

    /// <summary>Whether <paramref name="lambda"/> is handed to an API that runs it on another thread.</summary>
    public static bool RunsOnAnotherThread(IAnonymousFunctionOperation lambda, KnownSymbols known)
    {
        for (IOperation? current = lambda.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IDelegateCreationOperation or IConversionOperation or IArgumentOperation or IArrayInitializerOperation or IArrayCreationOperation:
                    continue;
                case IObjectCreationOperation or IInvocationOperation or IEventAssignmentOperation:
                    foreach (ThreadStart start in Find(current, known))
                    {
                        if (start.Target == lambda)
                        {
                            return true;
                        }
                    }

                    return false;
                default:
                    return false;
            }
        }

        return false;
    }

    private static bool IsStarter(IMethodSymbol method, KnownSymbols known)
    {
        if (!StarterMethods.Contains(method.Name))
        {
            return false;
        }

        foreach (INamedTypeSymbol type in known.ThreadStarters)
        {
            if (KnownSymbols.Is(method.ContainingType, type))
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation? Target(IOperation value)
    {
        if (value is IDelegateCreationOperation creation)
        {
            value = creation.Target;
        }

        return value is IAnonymousFunctionOperation or IMethodReferenceOperation ? value : null;
    }
}
