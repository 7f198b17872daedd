namespace ParallelDsl.Analyzers;

/// <summary>
/// The metadata names of the types the analyzers recognize. The ParallelDsl names live here only, so an API that is
/// renamed while it is being built needs one edit.
/// </summary>
internal static class MetadataNames
{
    public const string RunInThreadAttribute = "ParallelDsl.RunInThreadAttribute";
    public const string RunInProcessAttribute = "ParallelDsl.RunInProcessAttribute";
    public const string SharedValueAttribute = "ParallelDsl.SharedValueAttribute";
    public const string MainGuard = "ParallelDsl.MainGuard";
    public const string MainGuardEnter = "Enter";
    public const string ProcessPool = "ParallelDsl.ProcessPool";
    public const string ProcessPoolBase = "ParallelDsl.ProcessPoolBase";
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
}
