using System;
using System.Buffers;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl;

/// <summary>A job whose tasks cross to another process as encoded arguments and come back as an encoded result.</summary>
internal interface IEncodedPoolWork
{
    /// <summary>The stable id of the <see cref="RunInProcessAttribute"/> method in the dispatch table.</summary>
    ulong MethodId { get; }

    /// <summary>The method's display name, for messages.</summary>
    string MethodName { get; }

    /// <summary>Encodes the arguments of the task at <paramref name="position"/>.</summary>
    void WriteArguments(int position, IBufferWriter<byte> destination);

    /// <summary>Decodes and stores the result of the task at <paramref name="position"/>; throws when it is malformed.</summary>
    void ReadResult(int position, ReadOnlySpan<byte> result);

    /// <summary>Whether the method has batch codecs, so that many tasks can travel in one <see cref="ProcessBatch"/> frame.</summary>
    bool CanBatch { get; }

    /// <summary>Encodes the arguments of the <paramref name="count"/> tasks from <paramref name="start"/>, one after another.</summary>
    void WriteArguments(int start, int count, IBufferWriter<byte> destination);

    /// <summary>
    /// Decodes the outcomes of the <paramref name="count"/> tasks from <paramref name="start"/>: results are stored, errors
    /// kept in <paramref name="errors"/>; throws when the outcomes are malformed (some results may then be stored already).
    /// </summary>
    void ReadResults(int start, int count, ReadOnlySpan<byte> results, ProcessBatchErrors errors);
}
