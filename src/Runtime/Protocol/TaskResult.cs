using System;
using System.Buffers;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl.Wire;

/// <summary>A received result frame: the task id, whether the method succeeded, and the encoded result or error.</summary>
internal sealed class TaskResult : IDisposable
{
    private readonly Frame _frame;
    private readonly int _payloadOffset;

    private TaskResult(Frame frame, ulong taskId, bool isSuccess, int payloadOffset)
    {
        _frame = frame;
        TaskId = taskId;
        IsSuccess = isSuccess;
        _payloadOffset = payloadOffset;
    }

    public ulong TaskId { get; }

    public bool IsSuccess { get; }

    /// <summary>The whole frame body: the prefix, then the payload.</summary>
    public ReadOnlySpan<byte> FrameBody => _frame.Body;

    /// <summary>The encoded result when <see cref="IsSuccess"/>; the encoded <see cref="RemoteError"/> otherwise.</summary>
    public ReadOnlySpan<byte> Payload => _frame.Body[_payloadOffset..];

    /// <summary><see cref="Payload"/> as memory; valid until this result is disposed.</summary>
    public ReadOnlyMemory<byte> PayloadMemory => _frame.BodyMemory[_payloadOffset..];

    /// <summary>Writes the prefix of a result frame body; the payload follows.</summary>
    public static void WritePrefix(IBufferWriter<byte> writer, ulong taskId, bool isSuccess)
    {
        FrameWriter.WriteUInt64(writer, taskId);
        FrameWriter.WriteByte(writer, isSuccess ? OutcomeStatus.Succeeded : OutcomeStatus.Failed);
    }

    /// <summary>Parses a result frame, taking ownership of it.</summary>
    /// <exception cref="ProtocolException">The frame is not a valid result.</exception>
    public static TaskResult Parse(Frame frame)
    {
        try
        {
            ReadOnlySpan<byte> payload = ReadBody(frame.Body, out ulong taskId, out bool isSuccess);
            return new TaskResult(frame, taskId, isSuccess, frame.Body.Length - payload.Length);
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    /// <summary>Reads the prefix of a Result frame body and returns the payload after it.</summary>
    /// <exception cref="ProtocolException">The body is not a valid result.</exception>
    public static ReadOnlySpan<byte> ReadBody(ReadOnlySpan<byte> body, out ulong taskId, out bool isSuccess)
    {
        var reader = new FrameReader(body, FrameKind.Result);
        taskId = reader.ReadUInt64();
        byte status = reader.ReadByte();
        if (status is not (OutcomeStatus.Succeeded or OutcomeStatus.Failed))
        {
            throw new ProtocolException($"Malformed Result frame: unknown status {status}.");
        }

        isSuccess = status == OutcomeStatus.Succeeded;
        return reader.ReadRest();
    }

    /// <summary>Decodes the error of a failed result.</summary>
    /// <exception cref="ProtocolException">The payload is not a valid error.</exception>
    public RemoteError ReadError() => ReadError(Payload);

    /// <summary>Decodes the error in the payload of a failed result.</summary>
    /// <exception cref="ProtocolException">The payload is not a valid error.</exception>
    public static RemoteError ReadError(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        try
        {
            RemoteError error = RemoteError.Read(ref reader);
            reader.EnsureEnd();
            return error;
        }
        catch (WireFormatException exception)
        {
            // A worker wrote it, not a codec: a malformed error breaks the protocol.
            throw new ProtocolException($"Malformed Result frame ({payload.Length} bytes of error): {exception.Message}", exception);
        }
    }

    /// <summary>Writes the payload of a failed result: <paramref name="error"/>, after <see cref="WritePrefix"/>.</summary>
    public static void WriteError(IBufferWriter<byte> writer, RemoteError error)
    {
        var wire = new WireWriter(writer);
        error.Write(ref wire);
        wire.Flush();
    }

    public void Dispose() => _frame.Dispose();
}
