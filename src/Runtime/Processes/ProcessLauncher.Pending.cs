using System;

namespace ParallelDsl;

/// <summary>A child process started by a generated launcher (placeholder until the process runtime lands).</summary>
public class ProcessHandle
{
}

/// <summary>A child process whose method returns a <typeparamref name="T"/> (placeholder until the process runtime lands).</summary>
/// <typeparam name="T">The method's result type.</typeparam>
public class ProcessHandle<T> : ProcessHandle
{
}

public static partial class ProcessLauncher
{
    /// <summary>Starts a child process that runs a method without a result.</summary>
    public static ProcessHandle Start(ReadOnlyMemory<byte> arguments, ProcessStartOptions defaults, ProcessOptions? options) =>
        throw new NotSupportedException("Starting a process is pending the process runtime.");

    /// <summary>Starts a child process that runs a method and sends its result back.</summary>
    public static ProcessHandle<T> Start<T>(ReadOnlyMemory<byte> arguments, ProcessResultDecoder<T> decode, ProcessStartOptions defaults, ProcessOptions? options) =>
        throw new NotSupportedException("Starting a process is pending the process runtime.");
}
