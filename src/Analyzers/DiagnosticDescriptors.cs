using Microsoft.CodeAnalysis;

namespace ParallelDsl.Analyzers;

/// <summary>Every diagnostic ParallelDsl reports, with sequential IDs; each has a page under docs/diagnostics.</summary>
internal static class DiagnosticDescriptors
{
    /// <summary>Where the page of each rule lives: <c>{HelpLinkBase}PDSLnnnn.md</c>.</summary>
    public const string HelpLinkBase = "https://github.com/paralleldsl/paralleldsl/blob/main/docs/diagnostics/";

    /// <summary>Rules about code that runs on several threads of one process.</summary>
    public const string ThreadingCategory = "ParallelDsl.Threading";

    /// <summary>Rules about code that runs in child processes.</summary>
    public const string ProcessesCategory = "ParallelDsl.Processes";

    /// <summary>Rules about declarations the generator cannot turn into launchers.</summary>
    public const string UsageCategory = "ParallelDsl.Usage";

    public static readonly DiagnosticDescriptor UnguardedSharedState = Create(
        "PDSL0001",
        "Unguarded shared state",
        "'{0}' is written without a lock, Interlocked or Volatile by {1}",
        ThreadingCategory,
        DiagnosticSeverity.Warning,
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor MissingMainGuard = Create(
        "PDSL0002",
        "Missing main guard",
        "The entry point '{0}' must call MainGuard.Enter(args) first: this program starts worker processes, and each worker is a fresh start of it",
        ProcessesCategory,
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor CpuBoundThread = Create(
        "PDSL0003",
        "CPU-bound work on a thread",
        "{0} only computes in loops (no I/O, waits or blocking calls): run it in a pool sized to the cores or with [RunInProcess]",
        ThreadingCategory,
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor LostWriteInChild = Create(
        "PDSL0004",
        "Lost write in a child process",
        "'{0}' is written in a child process by {1}: the parent never sees the change; return the value or use a [SharedValue]",
        ProcessesCategory,
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor NotTransferable = Create(
        "PDSL0005",
        "Cannot cross a process boundary",
        "{0} of '{1}' cannot cross a process boundary: '{2}' ({3})",
        ProcessesCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NonPartialType = Create(
        "PDSL0006",
        "Containing type must be partial",
        "'{0}' is marked [{1}] but its containing type '{2}' is not partial, so no launcher can be generated for it",
        UsageCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor GenericMethod = Create(
        "PDSL0007",
        "Generic methods cannot be launched",
        "'{0}' is marked [{1}] but is generic: a launcher needs concrete types, so write a non-generic method",
        UsageCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor ByRefParameter = Create(
        "PDSL0008",
        "Parameters must be passed by value",
        "Parameter '{0}' of [{1}] method '{2}' is {3}: the method runs on another thread or in another process, where the caller's variable is out of reach",
        UsageCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor InstanceProcessMethod = Create(
        "PDSL0009",
        "[RunInProcess] methods must be static",
        "[RunInProcess] method '{0}' is an instance method, and a child process cannot get a whole copy of '{1}' to call it on: {2}; make the method static and pass what it needs",
        UsageCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor InvalidPoolTarget = Create(
        "PDSL0010",
        "Process pools run [RunInProcess] methods only",
        "{0} is passed to ProcessPool.{1}: {2}",
        UsageCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor InvalidSharedValue = Create(
        "PDSL0011",
        "[SharedValue] needs a static partial Shared<T> or SharedArray<T> property",
        "[SharedValue] '{0}' must be a static partial property of type Shared<T> or SharedArray<T>: {1}",
        UsageCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor SharedArrayWithoutLength = Create(
        "PDSL0012",
        "Shared arrays need a Length",
        "[SharedValue] array '{0}' has no Length: the shared memory is sized when the program starts, so set [SharedValue(Length = n)] with n > 0",
        UsageCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor CannotLaunch = Create(
        "PDSL0013",
        "Method cannot be launched",
        "'{0}' is marked [{1}] but no launcher can be written for it: {2}",
        UsageCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NotTransferableElement = Create(
        "PDSL0014",
        "Queue or pipe element cannot cross a process boundary",
        "{0} cannot carry '{1}' between processes: '{2}' ({3})",
        ProcessesCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MachineBoundClusterTask = Create(
        "PDSL0015",
        "Shared memory cannot cross machines",
        "'{0}' is given to ClusterPool.{1}, but {2} is memory of this machine, which a worker on another machine cannot reach; pass the data itself, or run the method on a ProcessPool",
        ProcessesCategory,
        DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity, params string[] customTags) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md", customTags: customTags);
}
