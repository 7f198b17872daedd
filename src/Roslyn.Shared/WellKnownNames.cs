namespace ParallelDsl.Roslyn;

/// <summary>
/// The names of the types the generator and the analyzers look for, and of the run-time types the generator writes.
/// They live here only, so the two components cannot disagree and a renamed API needs one edit.
/// </summary>
internal static class WellKnownNames
{
    // Metadata names, for ForAttributeWithMetadataName, GetTypeByMetadataName and display-string comparisons.
    public const string RunInThreadAttribute = "ParallelDsl.RunInThreadAttribute";
    public const string RunInProcessAttribute = "ParallelDsl.RunInProcessAttribute";
    public const string SharedValueAttribute = "ParallelDsl.SharedValueAttribute";
    public const string WorkerStateAttribute = "ParallelDsl.WorkerStateAttribute";
    public const string MainGuard = "ParallelDsl.MainGuard";
    public const string MainGuardEnter = "Enter";
    public const string ProcessPool = "ParallelDsl.ProcessPool";
    /// <summary>The cluster pool, in the ParallelDsl.Cluster package, which the analyzers do not reference: matched by name.</summary>
    public const string ClusterPool = "ParallelDsl.Cluster.ClusterPool";
    /// <summary>What every handle to this machine's memory implements: shared values and arrays, queues, pipe ends, locks.</summary>
    public const string CrossProcessHandle = "ParallelDsl.ICrossProcessHandle`1";
    public const string ProcessActionMetadata = "ParallelDsl.ProcessAction";
    public const string Shared = "ParallelDsl.Shared`1";
    public const string SharedArray = "ParallelDsl.SharedArray`1";
    public const string SharedValueProperty = "Value";
    public const string SharedArrayLength = "Length";

    public const string Thread = "System.Threading.Thread";
    public const string Timer = "System.Threading.Timer";
    public const string TimersTimer = "System.Timers.Timer";
    public const string ThreadPool = "System.Threading.ThreadPool";
    public const string Task = "System.Threading.Tasks.Task";
    public const string GenericTask = "System.Threading.Tasks.Task`1";
    public const string ValueTask = "System.Threading.Tasks.ValueTask";
    public const string GenericValueTask = "System.Threading.Tasks.ValueTask`1";
    public const string TaskFactory = "System.Threading.Tasks.TaskFactory";
    public const string GenericTaskFactory = "System.Threading.Tasks.TaskFactory`1";
    public const string Parallel = "System.Threading.Tasks.Parallel";
    public const string ThreadStaticAttribute = "System.ThreadStaticAttribute";
    public const string ThreadLocal = "System.Threading.ThreadLocal`1";
    public const string AsyncLocal = "System.Threading.AsyncLocal`1";

    /// <summary>Test frameworks whose presence marks a test assembly, which has no entry point of its own to guard.</summary>
    public static readonly string[] TestFrameworkMarkers =
    [
        "Xunit.FactAttribute",
        "NUnit.Framework.TestAttribute",
        "Microsoft.VisualStudio.TestTools.UnitTesting.TestMethodAttribute",
        "TUnit.Core.TestAttribute",
    ];

    // Fully qualified names the generator writes into generated code.
    public const string ThreadHandle = "global::ParallelDsl.ThreadHandle";
    public const string ThreadLauncher = "global::ParallelDsl.GeneratedSupport.ThreadLauncher";
    public const string ThreadStartOptions = "global::ParallelDsl.GeneratedSupport.ThreadStartOptions";
    public const string ThreadOptions = "global::ParallelDsl.ThreadOptions";
    public const string ConcurrencyGate = "global::ParallelDsl.GeneratedSupport.ConcurrencyGate";
    public const string SharedValueRegistry = "global::ParallelDsl.GeneratedSupport.SharedValueRegistry";

    public const string ProcessHandle = "global::ParallelDsl.ProcessHandle";
    public const string ProcessLauncher = "global::ParallelDsl.GeneratedSupport.ProcessLauncher";
    public const string ProcessStartOptions = "global::ParallelDsl.GeneratedSupport.ProcessStartOptions";
    public const string ProcessOptions = "global::ParallelDsl.ProcessOptions";
    public const string ProcessDispatch = "global::ParallelDsl.GeneratedSupport.ProcessDispatch";
    public const string ProcessMethod = "global::ParallelDsl.GeneratedSupport.ProcessMethod";
    public const string ProcessFunction = "global::ParallelDsl.GeneratedSupport.ProcessFunction";
    public const string ProcessBatch = "global::ParallelDsl.GeneratedSupport.ProcessBatch";
    public const string ProcessBatchErrors = "global::ParallelDsl.GeneratedSupport.ProcessBatchErrors";
    public const string ProcessAction = "global::ParallelDsl.ProcessAction";
    public const string ProcessPoolBase = "ParallelDsl.ProcessPoolBase";
    public const string WireWriter = "global::ParallelDsl.GeneratedSupport.WireWriter";
    public const string EncodingScratch = "global::ParallelDsl.GeneratedSupport.EncodingScratch";
    public const string WireReader = "global::ParallelDsl.GeneratedSupport.WireReader";
    public const string ElementCodecs = "global::ParallelDsl.GeneratedSupport.ElementCodecs";

    /// <summary>The namespace of the per-assembly generated classes (dispatch table, codecs).</summary>
    public const string GeneratedNamespace = "ParallelDsl.Generated";
    public const string ProcessCodecsClass = "ProcessCodecs";

    public const string GeneratedCodeAttribute = "global::System.CodeDom.Compiler.GeneratedCode";
}
