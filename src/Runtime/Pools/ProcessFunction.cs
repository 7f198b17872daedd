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

    /// <summary>The method's stable id in the dispatch table.</summary>
    public ulong MethodId { get; }

    /// <summary>The method's display name.</summary>
    public string Name { get; }

    /// <summary>The argument encoder.</summary>
    public ProcessArgumentEncoder<TArg> EncodeArgument { get; }

    /// <summary>The result decoder.</summary>
    public ProcessResultDecoder<TResult> DecodeResult { get; }

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
    public static ProcessAction Of(Action method) => throw ProcessPool.NotIntercepted(method, "ProcessAction.Of");

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
}
