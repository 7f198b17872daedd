using System;
using System.Buffers;

namespace ParallelDsl.Wire;

/// <summary>The body of a <see cref="FrameKind.Task"/> frame: task id, method id, owner assembly, then the arguments.</summary>
internal readonly ref struct TaskRequest
{
    private TaskRequest(ulong taskId, ulong methodId, string owner, ReadOnlySpan<byte> arguments)
    {
        TaskId = taskId;
        MethodId = methodId;
        Owner = owner;
        Arguments = arguments;
    }

    public ulong TaskId { get; }

    public ulong MethodId { get; }

    /// <summary>The full name of the assembly that declares the method, so a worker can load it when needed.</summary>
    public string Owner { get; }

    public ReadOnlySpan<byte> Arguments { get; }

    public static void Write(IBufferWriter<byte> writer, ulong taskId, ulong methodId, string owner, ReadOnlySpan<byte> arguments)
    {
        FrameWriter.WriteUInt64(writer, taskId);
        FrameWriter.WriteUInt64(writer, methodId);
        FrameWriter.WriteString(writer, owner);
        FrameWriter.WriteBytes(writer, arguments);
    }

    /// <exception cref="ProtocolException">The body is malformed.</exception>
    public static TaskRequest Read(Frame frame) => Read(frame.Body);

    /// <summary>Reads a Task frame body that came another way than a frame (a pool lane).</summary>
    /// <exception cref="ProtocolException">The body is malformed.</exception>
    public static TaskRequest Read(ReadOnlySpan<byte> body)
    {
        var reader = new FrameReader(body, FrameKind.Task);
        ulong taskId = reader.ReadUInt64();
        ulong methodId = reader.ReadUInt64();
        string owner = reader.ReadString();
        return new TaskRequest(taskId, methodId, owner, reader.ReadRest());
    }
}
