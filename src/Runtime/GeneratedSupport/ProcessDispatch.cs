using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ParallelDsl.GeneratedSupport;

/// <summary>
/// Runs one <see cref="RunInProcessAttribute"/> method inside a worker process: decodes the arguments, calls the
/// method (awaiting it when it is asynchronous) and encodes the result. Written by the source generator.
/// </summary>
/// <param name="arguments">The encoded arguments, as the launcher wrote them.</param>
/// <param name="result">Where the encoded result goes (nothing for a <see langword="void"/> method).</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void ProcessInvoker(ReadOnlySpan<byte> arguments, IBufferWriter<byte> result);

/// <summary>
/// Runs a batch of pool tasks of one <see cref="RunInProcessAttribute"/> method inside a worker process: for each
/// task, decodes its arguments, calls the method and writes a status and the result, or the error it threw (one
/// failing task does not fail the others). Written by the source generator.
/// </summary>
/// <param name="arguments">The encoded arguments of the tasks, one after another.</param>
/// <param name="count">The number of tasks.</param>
/// <param name="results">Where the outcomes go, one per task, in order.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void ProcessBatchInvoker(ReadOnlySpan<byte> arguments, int count, IBufferWriter<byte> results);

/// <summary>Decodes the result a worker process sent back. Written by the source generator.</summary>
/// <typeparam name="T">The method's result type.</typeparam>
/// <param name="result">The encoded result.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate T ProcessResultDecoder<T>(ReadOnlySpan<byte> result);

/// <summary>One entry of the dispatch table: a stable method id, the assembly that declares it, and its typed invoker.</summary>
/// <param name="Id">
/// The method's id: a hash of its fully qualified name and parameter types, the same in every build of the same
/// source, so parent and worker (or machines) agree without sharing memory addresses.
/// </param>
/// <param name="Name">The method's display name, for messages (<c>Demo.Program.Square(int)</c>).</param>
/// <param name="Owner">The assembly that declares the method: a worker for a program without a guarded <c>Main</c> loads it.</param>
/// <param name="Invoke">The generated invoker.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record ProcessMethod(ulong Id, string Name, System.Reflection.Assembly Owner, ProcessInvoker Invoke)
{
    /// <summary>
    /// The generated invoker of a batch of pool tasks, for a method a pool can map over; <see langword="null"/> when
    /// the pools send its tasks one per frame.
    /// </summary>
    public ProcessBatchInvoker? InvokeBatch { get; init; }

    /// <summary>
    /// The method's shape id: a hash of how its generated codecs lay out its arguments and result (the members of the
    /// records and classes they are made of, in order, with their types), the same in every build of the same source.
    /// Two builds with the same <see cref="Id"/> but another shape would misread each other's bytes; a cluster worker
    /// compares the shape a batch was encoded with against its own before it decodes anything.
    /// </summary>
    public ulong ShapeId { get; init; }

    /// <summary>The owner's name as task frames carry it, for a worker to load the owner by.</summary>
    internal string OwnerName => Owner.FullName ?? Owner.GetName().Name ?? string.Empty;
}

/// <summary>
/// The program's dispatch table: from a stable method id to the generated invoker. The generated code registers
/// every <see cref="RunInProcessAttribute"/> method of an assembly from a module initializer, without reflection.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ProcessDispatch
{
    private static readonly ConcurrentDictionary<ulong, ProcessMethod> Methods = new();

    /// <summary>Adds <paramref name="method"/> to the table. Registering the same id twice keeps the first entry.</summary>
    /// <exception cref="InvalidOperationException">Another method already holds the same id (a hash collision).</exception>
    public static void Register(ProcessMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        ProcessMethod registered = Methods.GetOrAdd(method.Id, method);
        if (!ReferenceEquals(registered, method) && registered.Name != method.Name)
        {
            throw new InvalidOperationException(
                $"The process methods '{registered.Name}' and '{method.Name}' have the same id 0x{method.Id:X16}; rename one of them.");
        }
    }

    /// <summary>Whether <paramref name="owner"/> registered any method: its module initializer has run.</summary>
    internal static bool AnyOwnedBy(System.Reflection.Assembly? owner)
    {
        foreach (ProcessMethod method in Methods.Values)
        {
            if (ReferenceEquals(method.Owner, owner))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Finds the method registered under <paramref name="id"/>.</summary>
    public static bool TryGet(ulong id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ProcessMethod? method) =>
        Methods.TryGetValue(id, out method);

    /// <summary>The parent's lookup before it sends a task: the method must be registered in this process.</summary>
    /// <param name="id">The method's id.</param>
    /// <param name="name">The method's name, for the message, when the caller knows it.</param>
    /// <exception cref="InvalidOperationException">No method has that id here.</exception>
    internal static ProcessMethod Get(ulong id, string? name = null) =>
        TryGet(id, out ProcessMethod? method)
            ? method
            : throw new InvalidOperationException(name is null
                ? string.Create(CultureInfo.InvariantCulture, $"No [RunInProcess] method with id 0x{id:X16} is registered in this process.")
                : string.Create(CultureInfo.InvariantCulture, $"No [RunInProcess] method with id 0x{id:X16} ({name}) is registered in this process."));

    /// <summary>
    /// The worker's lookup of a task's method: the table, after running the module initializer of the assembly the
    /// task names (<paramref name="ownerUtf8"/>), which nothing in a worker may have touched yet.
    /// </summary>
    /// <param name="methodId">The task's method id.</param>
    /// <param name="ownerUtf8">The UTF-8 bytes of the owner's name, as the task frame carries them; decoded only when the method is not known yet.</param>
    /// <exception cref="InvalidOperationException">The owner registers no method with that id.</exception>
    /// <exception cref="ProtocolException">The owner's name had to be read and is not valid UTF-8.</exception>
    internal static ProcessMethod Resolve(ulong methodId, ReadOnlySpan<byte> ownerUtf8)
    {
        if (TryGet(methodId, out ProcessMethod? method))
        {
            return method;
        }

        string owner = Wire.TaskRequest.DecodeOwner(ownerUtf8);

        // The owner's module initializer registers its methods; in a worker nothing may have touched it yet. A parent
        // that did not know the method either (a relayed batch) names no owner.
        if (owner.Length > 0)
        {
            Assembly assembly = Assembly.Load(new AssemblyName(owner));
            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        }

        return TryGet(methodId, out method)
            ? method
            : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"No [RunInProcess] method with id 0x{methodId:X16} is registered by '{owner}' in this worker; parent and worker must run the same build of the program."));
    }
}
