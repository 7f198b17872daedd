using System.Linq;

namespace ParallelDsl.Generator;

/// <summary>
/// How generated code names a process method's holder (the nested class with its id, codecs and invoker) and the
/// members forwarded out of private nested types: one definition for the emitter that writes them and for the dispatch
/// entries and pool interceptors that call them.
/// </summary>
internal static class ProcessHolders
{
    /// <summary>The holder member that describes the method for the dispatch table, when it is forwarded.</summary>
    public const string DescribeMethod = "Describe";

    /// <summary>The fully qualified name of the nested class holding <paramref name="method"/>'s id, codecs and invoker.</summary>
    public static string HolderPath(ProcessMethodModel method) => $"{TypePath(method.Type)}.{method.HolderName}";

    /// <summary>Whether a type around <paramref name="method"/> is private or protected, so other classes reach its holder through forwarded members.</summary>
    public static bool IsForwarded(ProcessMethodModel method) => method.ReachableTypes < method.Type.Types.Count;

    /// <summary>
    /// How the dispatch table and the pool interceptors name <paramref name="member"/> of the method's holder: directly,
    /// or through the member forwarded out to the last type of the chain they can name.
    /// </summary>
    public static string HolderMember(ProcessMethodModel method, string member) =>
        IsForwarded(method)
            ? $"{TypePath(method.Type, method.ReachableTypes)}.{ForwarderName(method, member)}"
            : $"{HolderPath(method)}.{member}";

    /// <summary>The dispatch entry of <paramref name="method"/>.</summary>
    public static DispatchEntryModel DispatchEntry(ProcessMethodModel method) =>
        new(HolderPath(method), method.HasBatchInvoker, IsForwarded(method) ? HolderMember(method, DescribeMethod) : null);

    /// <summary>The name of the member that forwards <paramref name="member"/> of the method's holder out of a private type.</summary>
    public static string ForwarderName(ProcessMethodModel method, string member) =>
        "__ParallelDsl_" + method.Id.ToString("X16", System.Globalization.CultureInfo.InvariantCulture) + "_" + member;

    /// <summary>The fully qualified name of <paramref name="type"/>.</summary>
    public static string TypePath(TypeIdentityModel type) => TypePath(type, type.Types.Count);

    /// <summary>The fully qualified name of the first <paramref name="types"/> types of <paramref name="type"/>'s chain.</summary>
    public static string TypePath(TypeIdentityModel type, int types) =>
        "global::" + string.Join(".", (type.Namespace is null ? Enumerable.Empty<string>() : new[] { type.Namespace })
            .Concat(type.Types.Take(types).Select(t => t.Name)));
}
