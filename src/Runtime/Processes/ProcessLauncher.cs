using System;
using System.ComponentModel;

namespace ParallelDsl;

/// <summary>How a generated launcher starts a child: the options of its <see cref="RunInProcessAttribute"/>.</summary>
/// <param name="MethodId">The method's stable id in the dispatch table.</param>
/// <param name="MethodName">The annotated method's name, used for automatic process names.</param>
/// <param name="Name">The attribute's fixed name, or <see langword="null"/> for an automatic one.</param>
/// <param name="Daemon">The attribute's <c>Daemon</c>.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct ProcessStartOptions(ulong MethodId, string MethodName, string? Name, bool Daemon);

/// <summary>Per-call options of a generated <c>Start{Method}(…, ProcessOptions)</c> launcher.</summary>
public sealed class ProcessOptions
{
    /// <summary>The child's name, overriding the attribute's; <see langword="null"/> keeps it.</summary>
    public string? Name { get; init; }

    /// <summary>Whether the child is a daemon, overriding the attribute's; <see langword="null"/> keeps it.</summary>
    public bool? Daemon { get; init; }
}

/// <summary>
/// Starts worker processes for the launchers the source generator writes. Not meant to be called by hand:
/// annotate a method with <see cref="RunInProcessAttribute"/> and call its <c>Start{Method}</c> launcher.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class ProcessLauncher
{
    // CONTRACT between the generator and the process runtime (issue 3); the bodies come with the process runtime:
    //   public static ProcessHandle Start(ReadOnlyMemory<byte> arguments, ProcessStartOptions defaults, ProcessOptions? options);
    //   public static ProcessHandle<T> Start<T>(ReadOnlyMemory<byte> arguments, ProcessResultDecoder<T> decode,
    //                                           ProcessStartOptions defaults, ProcessOptions? options);
}
