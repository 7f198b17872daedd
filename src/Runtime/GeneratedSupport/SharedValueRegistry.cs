using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using ParallelDsl.Roslyn;

namespace ParallelDsl.GeneratedSupport;

/// <summary>
/// Backs the properties the source generator writes for <see cref="SharedValueAttribute"/>: one object per property and
/// program run, created by the main process and opened by each worker. Not meant to be called by hand.
/// </summary>
/// <remarks>
/// A property's segment id is a stable hash of the program session id and the property's fully qualified name, so every
/// process of a run derives the same id, and two runs never meet. The main process creates the segment (the generated
/// module initializer does so at start-up); a worker finds it among the open files of the main process, whose pid begins
/// the session id. The creator writes the initial value before publishing the segment, so it applies exactly once.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SharedValueRegistry
{
    private static readonly Dictionary<string, CrossProcessObject> Values = new(StringComparer.Ordinal);

    /// <summary>Whether this process creates the shared values at start-up: it is the main process of a run on Linux.</summary>
    public static bool CreatesAtStartup => OperatingSystem.IsLinux() && !ProgramSession.IsInherited;

    /// <summary>The <see cref="Shared{T}"/> behind the property <paramref name="qualifiedName"/>.</summary>
    /// <param name="qualifiedName">The property's namespace-qualified name, such as <c>MyApp.Program.Counter</c>.</param>
    /// <param name="initialValue">The attribute's initial value, written once by the creating process.</param>
    /// <typeparam name="T">The value type.</typeparam>
    /// <returns>The same object for every call in this process.</returns>
    /// <exception cref="InvalidOperationException">In a worker, the main process has not created the value.</exception>
    public static Shared<T> Value<T>(string qualifiedName, T initialValue)
        where T : unmanaged =>
        GetOrCreate(
            qualifiedName,
            SegmentShape.Of<T>(SegmentKind.Value, 1),
            id => Shared<T>.Create(id, initialValue),
            Shared<T>.FromSegment);

    /// <summary>The <see cref="SharedArray{T}"/> behind the property <paramref name="qualifiedName"/>.</summary>
    /// <param name="qualifiedName">The property's namespace-qualified name, such as <c>MyApp.Program.Data</c>.</param>
    /// <param name="length">The attribute's <c>Length</c>.</param>
    /// <param name="initialValue">The attribute's initial value for every element, written once by the creating process.</param>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>The same object for every call in this process.</returns>
    /// <exception cref="InvalidOperationException">In a worker, the main process has not created the array.</exception>
    public static SharedArray<T> Array<T>(string qualifiedName, int length, T initialValue)
        where T : unmanaged =>
        GetOrCreate(
            qualifiedName,
            SegmentShape.Of<T>(SegmentKind.Array, length),
            id => SharedArray<T>.Create(id, length, initialValue),
            SharedArray<T>.FromSegment);

    private static TObject GetOrCreate<TObject>(
        string qualifiedName,
        SegmentShape shape,
        Func<ulong, SharedSegment> create,
        Func<SharedSegment, TObject> wrap)
        where TObject : CrossProcessObject
    {
        ArgumentNullException.ThrowIfNull(qualifiedName);
        SharedSegment.ThrowIfUnsupported();
        lock (Values)
        {
            if (Values.TryGetValue(qualifiedName, out CrossProcessObject? existing))
            {
                return existing as TObject ?? throw new InvalidOperationException(
                    $"The shared value '{qualifiedName}' is already a {existing.GetType().Name} in this process, not a {shape.Description}.");
            }

            ulong id = StableId.Of($"{ProgramSession.Id}/{qualifiedName}");
            SharedSegment segment = ProgramSession.IsInherited ? OpenFromMainProcess(qualifiedName, id, shape) : create(id);
            TObject value = wrap(segment);
            value.MarkProgramLifetime();
            Values.Add(qualifiedName, value);
            return value;
        }
    }

    private static SharedSegment OpenFromMainProcess(string qualifiedName, ulong id, SegmentShape shape)
    {
        string session = ProgramSession.Id;
        int separator = session.IndexOf('-', StringComparison.Ordinal);
        if (separator <= 0 || !int.TryParse(session.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out int mainPid))
        {
            throw new InvalidOperationException(
                $"The program session id '{session}' (from {ProgramSession.EnvironmentVariable}) does not name its main process, so the shared value '{qualifiedName}' cannot be found.");
        }

        return SharedSegment.TryOpenOwned(mainPid, id, shape) ?? throw new InvalidOperationException(
            $"The shared value '{qualifiedName}' was not created by the main process (pid {mainPid}) of this program run, or that process has exited. "
            + "The main process creates [SharedValue] properties at start-up; for a property of a private nested type, read it in the main process before starting workers.");
    }
}
