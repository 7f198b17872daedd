using System;

namespace ParallelDsl;

/// <summary>
/// Marks a method to run on its own thread, in this process, like Python's <c>threading.Thread(target=...)</c>.
/// The source generator emits a launcher <c>Start{Method}(…)</c> next to the method that starts a new thread
/// and returns a <see cref="ThreadHandle"/> (or <see cref="ThreadHandle{T}"/> when the method returns a value).
/// </summary>
/// <remarks>
/// Use it for I/O-bound concurrency: downloads, waits, blocking calls. CPU-bound work belongs in
/// <see cref="RunInProcessAttribute"/> methods or a pool sized to the cores. The containing type must be
/// <c>partial</c>. Methods returning <see cref="System.Threading.Tasks.Task"/> or
/// <see cref="System.Threading.Tasks.ValueTask"/> are awaited on the new thread.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RunInThreadAttribute : Attribute
{
    /// <summary>
    /// The thread's name, as <see cref="ThreadHandle.Name"/> reports it and debuggers show it.
    /// When unset, each thread is named after the method with a running number, such as <c>Download-3</c>.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// When <see langword="true"/>, the thread is a background (daemon) thread: it does not keep the program alive,
    /// and it is stopped abruptly when the last foreground thread ends. Defaults to <see langword="false"/>.
    /// </summary>
    public bool Daemon { get; set; }

    /// <summary>
    /// The largest number of calls of this method that may run at the same time across the whole process.
    /// Further calls start their thread but wait until a running call ends. Zero (the default) means no limit.
    /// </summary>
    public int MaxConcurrency { get; set; }
}

/// <summary>
/// Marks a static method to run in a child operating-system process, like Python's
/// <c>multiprocessing.Process(target=...)</c>. The source generator emits a launcher <c>Start{Method}(…)</c>,
/// an entry in the program's dispatch table and binary codecs for the arguments and the result, and makes the
/// method usable with process pools.
/// </summary>
/// <remarks>
/// A worker process is a fresh start of the same program, so the entry point must call
/// <c>MainGuard.Enter(args)</c> first. Arguments and results must be of types that can cross a process
/// boundary; the analyzers report any that cannot at compile time.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RunInProcessAttribute : Attribute
{
    /// <summary>
    /// The child process's name, as <c>CurrentProcess.Name</c> reports it inside the child.
    /// When unset, each child is named after the method with a running number.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// When <see langword="true"/>, the child is killed when the parent exits instead of being joined.
    /// Defaults to <see langword="false"/>: the parent waits for its children at normal exit, as Python does.
    /// </summary>
    public bool Daemon { get; set; }
}

/// <summary>
/// Marks a <c>static partial</c> property of type <c>Shared&lt;T&gt;</c> or <c>SharedArray&lt;T&gt;</c> as one value
/// shared by every thread of this process and every worker process of the program, backed by shared memory that
/// the parent creates and each worker maps when it starts.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class SharedValueAttribute : Attribute
{
    /// <summary>Creates the attribute with no initial value (the type's default).</summary>
    public SharedValueAttribute()
    {
    }

    /// <summary>Creates the attribute with an initial value for a <c>Shared&lt;T&gt;</c>, or for every element of a <c>SharedArray&lt;T&gt;</c>.</summary>
    /// <param name="initialValue">The value the segment starts with; it must convert to the element type.</param>
    public SharedValueAttribute(object initialValue)
    {
        InitialValue = initialValue;
    }

    /// <summary>The value the shared segment starts with, or <see langword="null"/> for the type's default.</summary>
    public object? InitialValue { get; }

    /// <summary>The number of elements of a <c>SharedArray&lt;T&gt;</c>. Required for arrays; ignored for single values.</summary>
    public int Length { get; set; }
}

/// <summary>
/// Marks a static field or property as the state of a pool's worker process: loaded once (by the pool's
/// <c>initializer</c> or on first use) and kept across the tasks that worker runs, as mpire's worker state. Each worker
/// process has its own copy; the parent's is never changed by a task, and a worker's copy ends with it, except what
/// the exit function given to <see cref="ProcessPoolBase.Shutdown{TExit}(Func{int, TExit})"/> returns.
/// </summary>
/// <remarks>
/// Writes to such a member in a <see cref="RunInProcessAttribute"/> method are the point, not a lost write: the
/// analyzers do not report them as PDSL0004. Writes to any other static from the same method still are.
/// </remarks>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class WorkerStateAttribute : Attribute
{
}
