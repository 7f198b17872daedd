using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using ParallelDsl.Roslyn;

namespace ParallelDsl.Generator;

/// <summary>
/// Turns a method that <see cref="LaunchTarget"/> rejects into a <see cref="RejectedMethodModel"/>: the signature of
/// the launchers it would have, so calls of them bind and the analyzers' diagnostic is the one error the user sees.
/// </summary>
internal static class RejectedMethodParser
{
    /// <summary>
    /// The stub model, or <see langword="null"/> when no member can be added where the method is declared (a
    /// non-partial, file-local or interface type, a local function): the analyzers' diagnostic then stands alone.
    /// </summary>
    public static RejectedMethodModel? Parse(IMethodSymbol method, bool inChildProcess, ImmutableArray<LaunchProblem> problems)
    {
        if (method.MethodKind != MethodKind.Ordinary
            || !LaunchTarget.CanHoldGeneratedMembers(method.ContainingType)
            || SymbolModels.TypeIdentity(method.ContainingType) is not { } type)
        {
            return null;
        }

        bool usesPointers = method.Parameters.Any(p => IsPointer(p.Type));
        string modifiers = SymbolModels.Accessibility(method)
                           + (method.IsStatic ? " static" : "")
                           + (usesPointers ? " unsafe" : "");
        string typeParameters = method.TypeParameters.Length == 0
            ? ""
            : $"<{string.Join(", ", method.TypeParameters.Select(p => p.Name))}>";
        string handleType = inChildProcess ? WellKnownNames.ProcessHandle : WellKnownNames.ThreadHandle;
        ITypeSymbol? result = LaunchTarget.AwaitedResult(method);
        string handle = result is null || result.IsRefLikeType || IsPointer(result)
            ? handleType
            : $"{handleType}<{SymbolModels.TypeName(result)}>";
        string[] parameters = method.Parameters.Select(p => Declaration(p, withParams: true)).ToArray();
        string[] optionsParameters = inChildProcess
            ? method.Parameters.Select(p => Declaration(p, withParams: false))
                .Append($"{WellKnownNames.ProcessOptions} {(method.Parameters.Any(p => p.Name == "options") ? "processOptions" : "options")}")
                .ToArray()
            : [];
        return new RejectedMethodModel(
            type,
            method.Name,
            modifiers,
            typeParameters,
            parameters.ToEquatableArray(),
            handle,
            inChildProcess,
            optionsParameters.ToEquatableArray(),
            LaunchTarget.DiagnosticId(problems[0].Rule));
    }

    // The launcher that takes options ends with them, so a params parameter is a plain one there.
    private static string Declaration(IParameterSymbol parameter, bool withParams)
    {
        string modifier = parameter.RefKind switch
        {
            RefKind.Ref => "ref ",
            RefKind.Out => "out ",
            RefKind.In => "in ",
            RefKind.RefReadOnlyParameter => "ref readonly ",
            _ => parameter.IsParams && withParams ? "params " : "",
        };
        ParameterModel model = SymbolModels.Parameter(parameter);
        return $"{modifier}{model.Type} {model.Name}{(model.DefaultValue is null ? "" : " = " + model.DefaultValue)}";
    }

    private static bool IsPointer(ITypeSymbol type) => type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer;
}
