using System;
using System.Buffers;
using System.ComponentModel;

namespace ParallelDsl;

/// <summary>Encodes the argument of a <see cref="RunInProcessAttribute"/> method for a pool. Written by the source generator.</summary>
/// <typeparam name="T">The argument type (a tuple for a method with several parameters).</typeparam>
/// <param name="argument">The argument to encode.</param>
/// <param name="destination">Where the encoded bytes go.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void ProcessArgumentEncoder<in T>(T argument, IBufferWriter<byte> destination);

/// <summary>Encodes the arguments of a batch of pool tasks, one after another, into one buffer. Written by the source generator.</summary>
/// <typeparam name="T">The argument type (a tuple for a method with several parameters).</typeparam>
/// <param name="arguments">The arguments of consecutive tasks.</param>
/// <param name="destination">Where the encoded bytes go.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void ProcessBatchEncoder<T>(ReadOnlySpan<T> arguments, IBufferWriter<byte> destination);

/// <summary>
/// Decodes the outcomes a <see cref="ProcessBatchInvoker"/> wrote: each task's result goes to its place in
/// <paramref name="destination"/>, each failed task's error to <paramref name="errors"/>. Written by the source generator.
/// </summary>
/// <typeparam name="T">The method's result type.</typeparam>
/// <param name="results">The encoded outcomes, one per task.</param>
/// <param name="destination">Where the results go; its length is the number of tasks.</param>
/// <param name="errors">Reads each outcome's status and keeps the errors.</param>
/// <exception cref="Wire.WireFormatException">The outcomes are malformed.</exception>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void ProcessBatchDecoder<T>(ReadOnlySpan<byte> results, Span<T> destination, ProcessBatchErrors errors);

/// <summary>
/// Identifies a <see cref="RunInProcessAttribute"/> method for a <see cref="ProcessPool"/>: its stable id, its name
/// and the codecs of its argument and result. The source generator writes one per method and redirects
/// <c>pool.Map(Square, items)</c> to the overload that takes it; user code does not create it.
/// </summary>
/// <typeparam name="TArg">The method's argument type: its parameter, or a tuple of its parameters.</typeparam>
/// <typeparam name="TResult">The method's result type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ProcessFunction<TArg, TResult>
{
    /// <summary>Describes a method for the pools.</summary>
    /// <param name="methodId">The method's id in the dispatch table (<see cref="ProcessMethod.Id"/>).</param>
    /// <param name="name">The method's display name, for messages.</param>
    /// <param name="encodeArgument">Writes one argument as the worker's invoker reads it.</param>
    /// <param name="decodeResult">Reads the result the worker's invoker wrote.</param>
    /// <remarks>A method described without batch codecs runs one task per frame; see the other constructor.</remarks>
    public ProcessFunction(ulong methodId, string name, ProcessArgumentEncoder<TArg> encodeArgument, ProcessResultDecoder<TResult> decodeResult)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(encodeArgument);
        ArgumentNullException.ThrowIfNull(decodeResult);
        MethodId = methodId;
        Name = name;
        EncodeArgument = encodeArgument;
        DecodeResult = decodeResult;
    }

    /// <summary>Describes a method for the pools, with the codecs that carry many of its tasks in one frame.</summary>
    /// <param name="methodId">The method's id in the dispatch table (<see cref="ProcessMethod.Id"/>).</param>
    /// <param name="name">The method's display name, for messages.</param>
    /// <param name="encodeArgument">Writes one argument as the worker's invoker reads it.</param>
    /// <param name="decodeResult">Reads the result the worker's invoker wrote.</param>
    /// <param name="encodeBatch">Writes the arguments of consecutive tasks as the worker's <see cref="ProcessMethod.InvokeBatch"/> reads them.</param>
    /// <param name="decodeBatch">Reads the outcomes that <see cref="ProcessMethod.InvokeBatch"/> wrote.</param>
    public ProcessFunction(
        ulong methodId,
        string name,
        ProcessArgumentEncoder<TArg> encodeArgument,
        ProcessResultDecoder<TResult> decodeResult,
        ProcessBatchEncoder<TArg> encodeBatch,
        ProcessBatchDecoder<TResult> decodeBatch)
        : this(methodId, name, encodeArgument, decodeResult)
    {
        ArgumentNullException.ThrowIfNull(encodeBatch);
        ArgumentNullException.ThrowIfNull(decodeBatch);
        EncodeBatch = encodeBatch;
        DecodeBatch = decodeBatch;
    }

    /// <summary>The method's stable id in the dispatch table.</summary>
    public ulong MethodId { get; }

    /// <summary>The method's display name.</summary>
    public string Name { get; }

    /// <summary>The argument encoder.</summary>
    public ProcessArgumentEncoder<TArg> EncodeArgument { get; }

    /// <summary>The result decoder.</summary>
    public ProcessResultDecoder<TResult> DecodeResult { get; }

    /// <summary>The batch argument encoder, or <see langword="null"/> when the method's tasks travel one per frame.</summary>
    public ProcessBatchEncoder<TArg>? EncodeBatch { get; }

    /// <summary>The batch outcome decoder, or <see langword="null"/> when the method's tasks travel one per frame.</summary>
    public ProcessBatchDecoder<TResult>? DecodeBatch { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// Identifies a parameterless <see langword="void"/> <see cref="RunInProcessAttribute"/> method, used as a
/// <see cref="ProcessPool"/> initializer. Written by the source generator; user code writes <c>ProcessAction.Of(Setup)</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ProcessAction
{
    /// <summary>Describes a method for the pools.</summary>
    /// <param name="methodId">The method's id in the dispatch table (<see cref="ProcessMethod.Id"/>).</param>
    /// <param name="name">The method's display name, for messages.</param>
    public ProcessAction(ulong methodId, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        MethodId = methodId;
        Name = name;
    }

    /// <summary>The method's stable id in the dispatch table.</summary>
    public ulong MethodId { get; }

    /// <summary>The method's display name.</summary>
    public string Name { get; }

    /// <summary>
    /// The descriptor of the <see cref="RunInProcessAttribute"/> method <paramref name="method"/>, for
    /// <c>new ProcessPool(initializer: ProcessAction.Of(Setup))</c>. The source generator replaces this call with
    /// the method's descriptor; reached at run time, the call was not replaced.
    /// </summary>
    /// <exception cref="InvalidOperationException">Always, when the call was not replaced by the generator.</exception>
    public static ProcessAction Of(Action method) => throw ProcessPoolBase.NotIntercepted(method, "ProcessAction.Of");

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>A pool map over an array of items with a <see cref="ProcessFunction{TArg, TResult}"/>.</summary>
internal sealed class ProcessMapJob<TArg, TResult>(TArg[] items, ProcessFunction<TArg, TResult> function, IProgress<PoolProgress>? progress)
    : PoolJob<TResult>(items.Length, progress), IEncodedPoolWork
{
    public ulong MethodId => function.MethodId;

    public string MethodName => function.Name;

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

/// <summary>One run of a <see cref="ProcessAction"/>: a worker's initializer.</summary>
internal sealed class ProcessActionJob(ProcessAction action) : PoolJob<bool>(1, null), IEncodedPoolWork
{
    public ulong MethodId => action.MethodId;

    public string MethodName => action.Name;

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
