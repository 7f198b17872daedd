using System;
using System.ComponentModel;

namespace ParallelDsl.GeneratedSupport;

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

