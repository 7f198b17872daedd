using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ParallelDsl.Wire;

/// <summary>The body of a <see cref="FrameKind.Task"/> frame: task id, method id, owner assembly, then the arguments.</summary>
/// <remarks>
/// The owner is carried as the UTF-8 bytes of the assembly's full name and decoded only when a worker does not know
/// the method yet and must load its assembly (<see cref="GeneratedSupport.ProcessDispatch.Resolve"/>): the tasks of a known method
/// cost no string on either side.
/// </remarks>
internal readonly ref struct TaskRequest
{
    private const int FixedLength = (2 * sizeof(ulong)) + sizeof(int);

    private TaskRequest(ulong taskId, ulong methodId, ReadOnlySpan<byte> ownerUtf8, ReadOnlySpan<byte> arguments)
    {
        TaskId = taskId;
        MethodId = methodId;
        OwnerUtf8 = ownerUtf8;
        Arguments = arguments;
    }

    public ulong TaskId { get; }

    public ulong MethodId { get; }

    /// <summary>The UTF-8 bytes of <see cref="Owner"/>, as the frame carries them.</summary>
    public ReadOnlySpan<byte> OwnerUtf8 { get; }

    /// <summary>The full name of the assembly that declares the method, so a worker can load it when needed.</summary>
    /// <exception cref="ProtocolException">The name is not valid UTF-8.</exception>
    public string Owner => DecodeOwner(OwnerUtf8);

    public ReadOnlySpan<byte> Arguments { get; }

    public static void Write(IBufferWriter<byte> writer, ulong taskId, ulong methodId, string owner, ReadOnlySpan<byte> arguments)
    {
        FrameWriter.WriteUInt64(writer, taskId);
        FrameWriter.WriteUInt64(writer, methodId);
        FrameWriter.WriteString(writer, owner);
        FrameWriter.WriteBytes(writer, arguments);
    }

    /// <summary>Writes the body with the owner given as its UTF-8 bytes.</summary>
    public static void Write(IBufferWriter<byte> writer, ulong taskId, ulong methodId, ReadOnlySpan<byte> ownerUtf8, ReadOnlySpan<byte> arguments)
    {
        FrameWriter.WriteUInt64(writer, taskId);
        FrameWriter.WriteUInt64(writer, methodId);
        FrameWriter.WriteInt32(writer, ownerUtf8.Length);
        FrameWriter.WriteBytes(writer, ownerUtf8);
        FrameWriter.WriteBytes(writer, arguments);
    }

    /// <summary>
    /// Writes the body straight into <paramref name="destination"/> (a pool lane's task area), the owner given as its
    /// UTF-8 bytes; <see langword="false"/>, with nothing to use, when it does not fit.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, ulong taskId, ulong methodId, ReadOnlySpan<byte> ownerUtf8, ReadOnlySpan<byte> arguments, out int written)
    {
        written = FixedLength + ownerUtf8.Length + arguments.Length;
        if (written > destination.Length)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(destination, taskId);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[sizeof(ulong)..], methodId);
        BinaryPrimitives.WriteInt32LittleEndian(destination[(2 * sizeof(ulong))..], ownerUtf8.Length);
        ownerUtf8.CopyTo(destination[FixedLength..]);
        arguments.CopyTo(destination[(FixedLength + ownerUtf8.Length)..]);
        return true;
    }

    /// <summary>The length of the body <see cref="Write(IBufferWriter{byte}, ulong, ulong, string, ReadOnlySpan{byte})"/> writes for <paramref name="owner"/> and <paramref name="argumentsLength"/> bytes of arguments.</summary>
    public static long BodyLength(string owner, int argumentsLength) =>
        FixedLength + (long)Encoding.UTF8.GetByteCount(owner) + argumentsLength;

    /// <exception cref="ProtocolException">The body is malformed.</exception>
    public static TaskRequest Read(Frame frame) => Read(frame.Body);

    /// <summary>Reads a Task frame body that came another way than a frame (a pool lane).</summary>
    /// <exception cref="ProtocolException">The body is malformed.</exception>
    public static TaskRequest Read(ReadOnlySpan<byte> body)
    {
        var reader = new FrameReader(body, FrameKind.Task);
        ulong taskId = reader.ReadUInt64();
        ulong methodId = reader.ReadUInt64();
        ReadOnlySpan<byte> owner = reader.ReadStringBytes();
        return new TaskRequest(taskId, methodId, owner, reader.ReadRest());
    }

    /// <summary>Decodes an owner name read as bytes.</summary>
    /// <exception cref="ProtocolException">The name is not valid UTF-8.</exception>
    internal static string DecodeOwner(ReadOnlySpan<byte> ownerUtf8) => FrameReader.DecodeString(ownerUtf8, FrameKind.Task);
}
