using System.Buffers;
using System;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl;

/// <summary>A pool map over an array of items with a <see cref="ProcessFunction{TArg, TResult}"/>.</summary>
internal sealed class ProcessMapJob<TArg, TResult>(TArg[] items, ProcessFunction<TArg, TResult> function, IProgress<PoolProgress>? progress)
    : PoolJob<TResult>(items.Length, progress), IEncodedPoolWork
{
    public override bool RunsInAnotherProcess => true;

    public ulong MethodId => function.MethodId;

    public string MethodName => function.Name;

    public override string TaskName => MethodName;

    public void WriteArguments(int position, IBufferWriter<byte> destination) => function.EncodeArgument(items[position], destination);

    public void ReadResult(int position, ReadOnlySpan<byte> result) => Results[position] = function.DecodeResult(result);

    public bool CanBatch => function.EncodeBatch is not null && function.DecodeBatch is not null;

    public void WriteArguments(int start, int count, IBufferWriter<byte> destination) =>
        Batched(function.EncodeBatch)(items.AsSpan(start, count), destination);

    public void ReadResults(int start, int count, ReadOnlySpan<byte> results, ProcessBatchErrors errors) =>
        Batched(function.DecodeBatch)(results, Results.AsSpan(start, count), errors);

    private T Batched<T>(T? codec)
        where T : Delegate =>
        codec ?? throw new InvalidOperationException($"{function.Name} has no batch codecs: its tasks travel one per frame.");
}
