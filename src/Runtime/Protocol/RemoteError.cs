using System.Text;
using System;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl.Wire;

/// <summary>
/// What the worker knows about an exception a task threw: the payload of a failed <see cref="FrameKind.Result"/> and of a
/// failed outcome in a batch, in one encoding (<see cref="WireWriter"/>/<see cref="WireReader"/>) for both.
/// </summary>
internal sealed record RemoteError(string TypeName, string Message, string StackTrace, int Pid, string ProcessName)
{
    public static RemoteError From(Exception exception, int pid, string processName) =>
        new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace ?? string.Empty, pid, processName);

    /// <summary>Reads an error that <see cref="Write(ref WireWriter)"/> wrote: a failed result's payload, or one outcome of a batch.</summary>
    public static RemoteError Read(ref WireReader reader) => new(
        reader.ReadRequiredString("an error's type name"),
        reader.ReadRequiredString("an error's message"),
        reader.ReadRequiredString("an error's stack trace"),
        reader.ReadInt32(),
        reader.ReadRequiredString("an error's process name"));

    /// <summary>Writes the error, with the primitives of the codecs; a text the wire cannot carry (an unpaired surrogate) is mended, not refused.</summary>
    public void Write(ref WireWriter writer)
    {
        writer.WriteString(Mend(TypeName));
        writer.WriteString(Mend(Message));
        writer.WriteString(Mend(StackTrace));
        writer.WriteInt32(Pid);
        writer.WriteString(Mend(ProcessName));
    }

    public RemoteException ToException() => new(TypeName, Message, StackTrace, Pid, ProcessName);

    // An error must always reach the parent: a lone surrogate becomes U+FFFD.
    private static string Mend(string text) =>
        text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') ? Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)) : text;
}
