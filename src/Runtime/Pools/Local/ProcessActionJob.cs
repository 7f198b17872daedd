using System.Buffers;
using System;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl;

/// <summary>One run of a <see cref="ProcessAction"/>: a worker's initializer.</summary>
internal sealed class ProcessActionJob(ProcessAction action) : PoolJob<bool>(1, null), IEncodedPoolWork
{
    public override bool RunsInAnotherProcess => true;

    public ulong MethodId => action.MethodId;

    public string MethodName => action.Name;

    public override string TaskName => MethodName;

    public void WriteArguments(int position, IBufferWriter<byte> destination)
    {
    }

    public void ReadResult(int position, ReadOnlySpan<byte> result) => Results[position] = true;

    public bool CanBatch => false;

    public void WriteArguments(int start, int count, IBufferWriter<byte> destination) =>
        throw new NotSupportedException("An initializer is one task: it is never batched.");

    public void ReadResults(int start, int count, ReadOnlySpan<byte> results, ProcessBatchErrors errors) =>
        throw new NotSupportedException("An initializer is one task: it is never batched.");
}
