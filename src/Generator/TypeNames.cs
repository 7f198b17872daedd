namespace ParallelDsl.Generator;

/// <summary>The metadata names of the runtime types the generator looks for or writes.</summary>
internal static class TypeNames
{
    public const string RunInThreadAttribute = "ParallelDsl.RunInThreadAttribute";
    public const string RunInProcessAttribute = "ParallelDsl.RunInProcessAttribute";
    public const string SharedValueAttribute = "ParallelDsl.SharedValueAttribute";

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
    public const string ProcessPoolBaseMetadata = "ParallelDsl.ProcessPoolBase";
    public const string ProcessActionMetadata = "ParallelDsl.ProcessAction";
    public const string WireWriter = "global::ParallelDsl.GeneratedSupport.WireWriter";
    public const string EncodingScratch = "global::ParallelDsl.GeneratedSupport.EncodingScratch";
    public const string WireReader = "global::ParallelDsl.GeneratedSupport.WireReader";
    public const string ElementCodecs = "global::ParallelDsl.GeneratedSupport.ElementCodecs";

    /// <summary>The namespace of the per-assembly generated classes (dispatch table, codecs).</summary>
    public const string GeneratedNamespace = "ParallelDsl.Generated";
    public const string ProcessCodecsClass = "ProcessCodecs";

    public const string GeneratedCodeAttribute = "global::System.CodeDom.Compiler.GeneratedCode";
}

/// <summary>The names of the tracked pipeline steps, so tests can check what is cached.</summary>
internal static class TrackingNames
{
    public const string ThreadMethods = nameof(ThreadMethods);
    public const string CollectedThreadMethods = nameof(CollectedThreadMethods);
    public const string TypeModels = nameof(TypeModels);
    public const string SharedValues = nameof(SharedValues);
    public const string CollectedSharedValues = nameof(CollectedSharedValues);
    public const string SharedValueTypeModels = nameof(SharedValueTypeModels);
    public const string ProcessMethods = nameof(ProcessMethods);
    public const string CollectedProcessMethods = nameof(CollectedProcessMethods);
    public const string ProcessTypeModels = nameof(ProcessTypeModels);
    public const string ProcessAssemblyModel = nameof(ProcessAssemblyModel);
    public const string ElementCodecs = nameof(ElementCodecs);
    public const string CollectedElementCodecs = nameof(CollectedElementCodecs);
    public const string CodecAssemblyModel = nameof(CodecAssemblyModel);
    public const string PoolCalls = nameof(PoolCalls);
    public const string CollectedPoolCalls = nameof(CollectedPoolCalls);
    public const string CollectedRejectedMethods = nameof(CollectedRejectedMethods);
    public const string RejectedMethodTypeModels = nameof(RejectedMethodTypeModels);
}

/// <summary>Facts about this generator that appear in what it writes.</summary>
internal static class GeneratorInfo
{
    public const string Name = "ParallelDsl.Generator";
    public const string Version = "0.1.0";
}
