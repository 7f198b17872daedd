using System;
using System.ComponentModel;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl;

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
