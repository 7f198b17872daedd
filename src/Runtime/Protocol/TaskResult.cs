using System;

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
    public static void WritePrefix(System.Buffers.IBufferWriter<byte> writer, ulong taskId, bool isSuccess)
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
    public RemoteError ReadError() => ReadError(Payload);

    /// <summary>Decodes the error in the payload of a failed result.</summary>
    public static RemoteError ReadError(ReadOnlySpan<byte> payload)
    {
        var reader = new FrameReader(payload, FrameKind.Result);
        return RemoteError.Read(ref reader);
    }

    public void Dispose() => _frame.Dispose();
}
