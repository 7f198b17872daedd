namespace ParallelDsl.Generator;

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
