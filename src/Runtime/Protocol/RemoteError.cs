using System.Buffers;
using System.Text;
using System;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl.Wire;

/// <summary>The body of a failed <see cref="FrameKind.Result"/>: what the worker knows about the exception.</summary>
internal sealed record RemoteError(string TypeName, string Message, string StackTrace, int Pid, string ProcessName)
{
    public static RemoteError From(Exception exception, int pid, string processName) =>
        new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace ?? string.Empty, pid, processName);

    public static RemoteError Read(ref FrameReader reader)
    {
        string typeName = reader.ReadString();
        string message = reader.ReadString();
        string stackTrace = reader.ReadString();
        int pid = reader.ReadInt32();
        string processName = reader.ReadString();
        reader.EnsureEnd();
        return new RemoteError(typeName, message, stackTrace, pid, processName);
    }

    public void Write(IBufferWriter<byte> writer)
    {
        FrameWriter.WriteString(writer, TypeName);
        FrameWriter.WriteString(writer, Message);
        FrameWriter.WriteString(writer, StackTrace);
        FrameWriter.WriteInt32(writer, Pid);
        FrameWriter.WriteString(writer, ProcessName);
    }

    /// <summary>Reads an error that <see cref="Write(ref WireWriter)"/> wrote inside a batch result.</summary>
    public static RemoteError Read(ref WireReader reader) => new(
        reader.ReadRequiredString("an error's type name"),
        reader.ReadRequiredString("an error's message"),
        reader.ReadRequiredString("an error's stack trace"),
        reader.ReadInt32(),
        reader.ReadRequiredString("an error's process name"));

    /// <summary>Writes the error inside a batch result; a text the wire cannot carry (an unpaired surrogate) is mended, not refused.</summary>
    public void Write(ref WireWriter writer)
    {
        writer.WriteString(Mend(TypeName));
        writer.WriteString(Mend(Message));
        writer.WriteString(Mend(StackTrace));
        writer.WriteInt32(Pid);
        writer.WriteString(Mend(ProcessName));
    }

    public RemoteException ToException() => new(TypeName, Message, StackTrace, Pid, ProcessName);

    // An error must always reach the parent: a lone surrogate becomes U+FFFD, as the frame writer's encoder does.
    private static string Mend(string text) =>
        text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') ? Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)) : text;
}
