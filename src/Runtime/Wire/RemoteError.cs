using System;
using System.Buffers;

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

    public RemoteException ToException() => new(TypeName, Message, StackTrace, Pid, ProcessName);
}
