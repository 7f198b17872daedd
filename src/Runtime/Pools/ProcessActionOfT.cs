using System.ComponentModel;
using System;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl;

/// <summary>
/// Identifies a <see langword="void"/> <see cref="RunInProcessAttribute"/> method of one parameter for a
/// <see cref="ProcessPool"/>: <c>pool.Map(Log, items)</c>. Written by the source generator; user code does not create it.
/// </summary>
/// <typeparam name="TArg">The method's parameter type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ProcessAction<TArg>
{
    /// <summary>Describes a method for the pools.</summary>
    /// <param name="methodId">The method's id in the dispatch table (<see cref="ProcessMethod.Id"/>).</param>
    /// <param name="name">The method's display name, for messages.</param>
    /// <param name="encodeArgument">Writes one argument as the worker's invoker reads it.</param>
    /// <param name="encodeBatch">Writes the arguments of consecutive tasks as the worker's <see cref="ProcessMethod.InvokeBatch"/> reads them.</param>
    /// <param name="decodeBatch">Reads the outcomes <see cref="ProcessMethod.InvokeBatch"/> wrote: each task's status (a method that returns nothing has no value).</param>
    public ProcessAction(ulong methodId, string name, ProcessArgumentEncoder<TArg> encodeArgument, ProcessBatchEncoder<TArg> encodeBatch, ProcessBatchDecoder<object?> decodeBatch) =>
        // A method that returns nothing runs as one whose result is null (Python's None): the pools need no second path.
        Function = new ProcessFunction<TArg, object?>(methodId, name, encodeArgument, static _ => null, encodeBatch, decodeBatch);

    /// <summary>The method's display name.</summary>
    public string Name => Function.Name;

    internal ProcessFunction<TArg, object?> Function { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
