using System.Buffers;
using System.Globalization;
using System;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl;

/// <summary>
/// One pool task that runs a batch whose arguments arrived already encoded (by a generated
/// <see cref="ProcessBatchEncoder{T}"/> in another program): the worker runs the batch method of the dispatch table on
/// them, and the result is the batch's encoded outcomes, as a generated <see cref="ProcessBatchDecoder{T}"/> reads them.
/// Nothing is decoded here, so a program that only relays work needs no codec of the method.
/// </summary>
internal sealed class EncodedBatchJob : PoolJob<byte[]>, IEncodedPoolWork
{
    private readonly ulong _methodId;
    private readonly ReadOnlyMemory<byte> _arguments;
    private readonly int _count;

    public EncodedBatchJob(ulong methodId, ReadOnlyMemory<byte> arguments, int count)
        : base(1, null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _methodId = methodId;
        _arguments = arguments;
        _count = count;
        MethodName = ProcessDispatch.TryGet(methodId, out ProcessMethod? method)
            ? method.Name
            : string.Create(CultureInfo.InvariantCulture, $"method 0x{methodId:X16}");
    }

    public override bool RunsInAnotherProcess => true;

    public ulong MethodId => ProcessBatch.MethodId;

    public string MethodName { get; }

    public override string TaskName => MethodName;

    public bool CanBatch => false;

    public void WriteArguments(int position, IBufferWriter<byte> destination)
    {
        ProcessBatch.WriteHead(destination, _methodId, _count);
        destination.Write(_arguments.Span);
    }

    public void ReadResult(int position, ReadOnlySpan<byte> result) =>
        Results[position] = ProcessBatch.Outcomes(result, _count).ToArray();

    public void WriteArguments(int start, int count, IBufferWriter<byte> destination) =>
        throw new NotSupportedException("An encoded batch is one task: it is never batched again.");

    public void ReadResults(int start, int count, ReadOnlySpan<byte> results, ProcessBatchErrors errors) =>
        throw new NotSupportedException("An encoded batch is one task: it is never batched again.");
}
