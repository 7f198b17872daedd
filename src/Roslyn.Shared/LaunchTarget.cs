using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ParallelDsl.Roslyn;

/// <summary>The rule a <see cref="LaunchProblem"/> breaks; each one is a diagnostic of its own.</summary>
internal enum LaunchRule
{
    /// <summary>PDSL0006: a type of the chain that declares the method is not partial.</summary>
    NonPartialType,

    /// <summary>PDSL0007: the method is generic.</summary>
    GenericMethod,

    /// <summary>PDSL0008: a parameter is by reference, a pointer or a ref struct.</summary>
    ByRefParameter,

    /// <summary>PDSL0009: a [RunInProcess] method is an instance method.</summary>
    InstanceProcessMethod,

    /// <summary>PDSL0005: a parameter or the result has no codec.</summary>
    NotTransferable,

    /// <summary>PDSL0013: any other shape no launcher can be written for.</summary>
    CannotLaunch,
}

/// <summary>One reason a method marked [RunInThread] or [RunInProcess] cannot be launched.</summary>
/// <param name="Rule">The rule it breaks.</param>
/// <param name="Parameter">The parameter it is about, or <see langword="null"/> for the method (or its result, see <paramref name="OnResult"/>).</param>
/// <param name="OnResult">Whether it is about the method's result.</param>
/// <param name="Detail">
/// What the rule's message names: the type that is not partial (PDSL0006), what the parameter is (PDSL0008: "passed by
/// ref"), why the method cannot be launched (PDSL0013); empty otherwise.
/// </param>
/// <param name="Transfer">For <see cref="LaunchRule.NotTransferable"/>: where the type that cannot cross sits.</param>
internal sealed record LaunchProblem(LaunchRule Rule, IParameterSymbol? Parameter, bool OnResult, string Detail, TransferProblem? Transfer = null);

/// <summary>
/// The one definition of which methods can be launched: the generator writes a launcher exactly for the methods with
/// no problem, and each analyzer reports the problems of its rule, so the two can never disagree. A method is checked
/// in the order a user fixes it — where it is declared, then the method itself, then its parameters and result — and
/// a mistake is reported once: a generic method's open types are not also "not transferable", a by-ref parameter's
/// type is not also checked for a codec.
/// </summary>
internal static class LaunchTarget
{
    private static readonly SymbolDisplayFormat ShortFormat = SymbolDisplayFormat.CSharpErrorMessageFormat;

    /// <summary>The problems of <paramref name="method"/> (empty when a launcher can be written for it).</summary>
    /// <param name="method">A method marked [RunInThread] or [RunInProcess].</param>
    /// <param name="inChildProcess">Whether it is marked [RunInProcess] (else [RunInThread]).</param>
    /// <param name="within">The assembly whose generated codecs would carry its values.</param>
    public static ImmutableArray<LaunchProblem> Check(IMethodSymbol method, bool inChildProcess, IAssemblySymbol within)
    {
        ImmutableArray<LaunchProblem>.Builder problems = ImmutableArray.CreateBuilder<LaunchProblem>();
        if (NotOrdinary(method) is { } kind)
        {
            problems.Add(CannotLaunch($"it is {kind}: only methods declared in a class, struct or record get launchers"));
            return problems.ToImmutable();
        }

        if (CheckDeclaringTypes(method.ContainingType, inChildProcess) is { } placement)
        {
            // Nothing can be generated where the method is; its own shape is a second mistake only once that is fixed.
            problems.Add(placement);
            return problems.ToImmutable();
        }

        CheckMethod(method, inChildProcess, within, problems);
        CheckParameters(method, inChildProcess, within, problems);
        CheckResult(method, inChildProcess, within, problems);
        return problems.ToImmutable();
    }

    /// <summary>Whether the generator can add members to <paramref name="type"/>: it and every type around it are partial class-like types, none file-local.</summary>
    public static bool CanHoldGeneratedMembers(INamedTypeSymbol type) => CheckDeclaringTypes(type, inChildProcess: false) is null;

    /// <summary>
    /// Whether every declaration of <paramref name="type"/> is partial. The declaration that top-level statements make
    /// of <c>Program</c> counts as partial, as the compiler treats it: <c>partial class Program { … }</c> below
    /// top-level statements continues that <c>Program</c>.
    /// </summary>
    public static bool IsPartial(INamedTypeSymbol type)
    {
        ImmutableArray<SyntaxReference> declarations = type.DeclaringSyntaxReferences;
        if (declarations.IsEmpty)
        {
            return false;
        }

        foreach (SyntaxReference reference in declarations)
        {
            switch (reference.GetSyntax())
            {
                case CompilationUnitSyntax:
                    continue;
                case TypeDeclarationSyntax declaration when declaration.Modifiers.Any(SyntaxKind.PartialKeyword):
                    continue;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>What a by-value parameter the launcher cannot pass on is ("passed by ref", "a pointer"), or <see langword="null"/>.</summary>
    public static string? DescribeByRef(IParameterSymbol parameter) => parameter.RefKind switch
    {
        RefKind.Ref => "passed by ref",
        RefKind.Out => "an out parameter",
        RefKind.In => "an in parameter",
        RefKind.RefReadOnlyParameter => "passed by ref readonly",
        _ => parameter.Type switch
        {
            IPointerTypeSymbol or IFunctionPointerTypeSymbol => "a pointer",
            { IsRefLikeType: true } => $"a ref struct ({parameter.Type.ToDisplayString(ShortFormat)}; take an array instead)",
            _ => null,
        },
    };

    private static string? NotOrdinary(IMethodSymbol method) => method.MethodKind switch
    {
        MethodKind.Ordinary => null,
        MethodKind.LocalFunction => "a local function",
        MethodKind.UserDefinedOperator or MethodKind.Conversion => "an operator",
        MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove => "an accessor",
        MethodKind.Constructor or MethodKind.StaticConstructor => "a constructor",
        MethodKind.ExplicitInterfaceImplementation => "an explicit interface implementation",
        _ => "not an ordinary method",
    };

    private static LaunchProblem? CheckDeclaringTypes(INamedTypeSymbol type, bool inChildProcess)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            string name = current.ToDisplayString(ShortFormat);
            if (current.TypeKind is not (TypeKind.Class or TypeKind.Struct))
            {
                return CannotLaunch($"'{name}' is an interface: only methods declared in a class, struct or record get launchers");
            }

            if (current.IsFileLocal)
            {
                return CannotLaunch($"'{name}' is a file-local type, which the generated launcher in another file cannot extend; make it internal");
            }

            if (!IsPartial(current))
            {
                return new LaunchProblem(LaunchRule.NonPartialType, null, false, current.Name);
            }
        }

        if (!inChildProcess)
        {
            return null;
        }

        // The dispatch table is told which method to run by a fixed id, so the type must be a concrete one.
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.TypeParameters.Length > 0)
            {
                return CannotLaunch($"'{current.ToDisplayString(ShortFormat)}' is generic: a child process is told which method to run by a fixed id, and cannot know the type arguments; move the method into a non-generic type");
            }
        }

        return null;
    }

    private static void CheckMethod(IMethodSymbol method, bool inChildProcess, IAssemblySymbol within, ImmutableArray<LaunchProblem>.Builder problems)
    {
        if (method.IsGenericMethod)
        {
            problems.Add(new LaunchProblem(LaunchRule.GenericMethod, null, false, string.Empty));
        }

        if (method.IsAbstract)
        {
            problems.Add(CannotLaunch("it is abstract: there is no body to run; mark the method that overrides it"));
        }
        else if (method.IsExtern && !method.IsStatic)
        {
            problems.Add(CannotLaunch("it is an extern instance method; wrap it in a method of your own"));
        }

        if (!method.IsStatic)
        {
            if (inChildProcess)
            {
                // An instance method runs in the child on a copy of its object, which only a codec carrying all of the
                // object's state can make.
                if (TransferableTypes.WhyNotWhollyCopied(method.ContainingType, within) is { } why)
                {
                    problems.Add(new LaunchProblem(LaunchRule.InstanceProcessMethod, null, false, why));
                }
            }
            else if (method.ContainingType.IsValueType)
            {
                problems.Add(CannotLaunch("it is an instance method of a struct: the thread would run it on a copy, and its changes would be lost; make it static or move it into a class"));
            }
        }
    }

    private static void CheckParameters(IMethodSymbol method, bool inChildProcess, IAssemblySymbol within, ImmutableArray<LaunchProblem>.Builder problems)
    {
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (DescribeByRef(parameter) is { } byRef)
            {
                problems.Add(new LaunchProblem(LaunchRule.ByRefParameter, parameter, false, byRef));
            }
            else if (inChildProcess && !method.IsGenericMethod && TransferableTypes.FindProblem(parameter.Type, within) is { } transfer)
            {
                problems.Add(new LaunchProblem(LaunchRule.NotTransferable, parameter, false, string.Empty, transfer));
            }
        }
    }

    private static void CheckResult(IMethodSymbol method, bool inChildProcess, IAssemblySymbol within, ImmutableArray<LaunchProblem>.Builder problems)
    {
        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            problems.Add(CannotLaunch("it returns by reference, and a reference into this thread's or process's memory cannot be handed to another; return the value", onResult: true));
            return;
        }

        ITypeSymbol returnType = method.ReturnType;
        if (returnType.IsRefLikeType)
        {
            problems.Add(CannotLaunch($"it returns a ref struct ('{returnType.ToDisplayString(ShortFormat)}'), which cannot leave the stack it was made on; return an array", onResult: true));
            return;
        }

        if (returnType.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer && !inChildProcess)
        {
            problems.Add(CannotLaunch("it returns a pointer, which a thread handle cannot hold; return the value it points to", onResult: true));
            return;
        }

        if (inChildProcess && !method.IsGenericMethod && AwaitedResult(method) is { } result
            && TransferableTypes.FindProblem(result, within) is { } transfer)
        {
            problems.Add(new LaunchProblem(LaunchRule.NotTransferable, null, true, string.Empty, transfer));
        }
    }

    /// <summary>The value a caller receives: the method's return type, the <c>T</c> of <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>, or nothing.</summary>
    public static ITypeSymbol? AwaitedResult(IMethodSymbol method)
    {
        if (method.ReturnsVoid)
        {
            return null;
        }

        if (method.ReturnType is INamedTypeSymbol { ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } task)
        {
            return task.MetadataName switch
            {
                "Task" or "ValueTask" => null,
                "Task`1" or "ValueTask`1" => task.TypeArguments[0],
                _ => task,
            };
        }

        return method.ReturnType;
    }

    /// <summary>The id of the diagnostic that reports a problem of <paramref name="rule"/>.</summary>
    public static string DiagnosticId(LaunchRule rule) => rule switch
    {
        LaunchRule.NotTransferable => "PDSL0005",
        LaunchRule.NonPartialType => "PDSL0006",
        LaunchRule.GenericMethod => "PDSL0007",
        LaunchRule.ByRefParameter => "PDSL0008",
        LaunchRule.InstanceProcessMethod => "PDSL0009",
        _ => "PDSL0013",
    };

    private static LaunchProblem CannotLaunch(string why, bool onResult = false) => new(LaunchRule.CannotLaunch, null, onResult, why);
}
