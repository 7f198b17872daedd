using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ParallelDsl.Cluster.Wire;

/// <summary>What a cluster message carries; the kind is the first byte after the signature.</summary>
internal enum ClusterMessageKind : byte
{
    /// <summary>Client to workers: a batch of tasks of one method.</summary>
    Tasks = 1,

    /// <summary>Worker to client: the batch's outcomes, one per task, as the method's generated batch decoder reads them.</summary>
    Outcomes = 2,

    /// <summary>Worker to client: the batch could not run at all (an unknown method, say); every task of it fails.</summary>
    BatchFailed = 3,

    /// <summary>Worker to client: a local worker process died while it held the batch; the batch goes back to the queue.</summary>
    Death = 4,

    /// <summary>Worker to client: the batch was skipped because its job was cancelled.</summary>
    Skipped = 5,

    /// <summary>Worker to client: the batch was delivered too often (it keeps killing workers) and is given up.</summary>
    Poisoned = 6,

    /// <summary>Client to workers: the job is cancelled; skip its tasks not started yet.</summary>
    Cancel = 7,
}

/// <summary>
/// The head every cluster message shares: its kind, the client it belongs to, the job and the batch. For a task batch
/// also the method, the first input index and the task count; for a worker's answer the host and pid that sent it.
/// </summary>
/// <remarks>
/// Layout, little-endian, after the signature: version (1 byte), kind (1), client id (16), job id (8), batch id (8),
/// then by kind. Tasks: method id (8), shape id (8), method name, reply queue, first index (4), count (4), expiry in Unix
/// milliseconds (8), then the tasks' encoded arguments back to back. Answers: host, pid (4), deliveries (4), text,
/// then for <see cref="ClusterMessageKind.Outcomes"/> the encoded outcomes. Strings are a 4-byte length and UTF-8.
/// The reply queue travels inside the signed body, so a result cannot be redirected by editing the message's
/// properties. The shape id comes before the arguments, so a worker of another build refuses them undecoded.
/// </remarks>
internal sealed record ClusterMessage
{
    public const byte Version = 2;

    public required ClusterMessageKind Kind { get; init; }

    public required Guid ClientId { get; init; }

    public long JobId { get; init; }

    public long BatchId { get; init; }

    public ulong MethodId { get; init; }

    /// <summary>The caller's shape id of the method (<see cref="GeneratedSupport.ProcessMethod.ShapeId"/>): how its arguments were encoded.</summary>
    public ulong ShapeId { get; init; }

    public string MethodName { get; init; } = string.Empty;

    public string ReplyQueue { get; init; } = string.Empty;

    public int FirstIndex { get; init; }

    public int Count { get; init; }

    public long ExpiresAtUnixMs { get; init; }

    public string Host { get; init; } = string.Empty;

    public int Pid { get; init; }

    public int Deliveries { get; init; }

    public string Text { get; init; } = string.Empty;

    /// <summary>The arguments (tasks) or outcomes (answers); a slice of the received body, valid while it is.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Writes the message, unsigned, after <paramref name="destination"/>'s reserved signature.</summary>
    public void Write(IBufferWriter<byte> destination, ReadOnlySpan<byte> payload)
    {
        Span<byte> head = destination.GetSpan(34);
        head[0] = Version;
        head[1] = (byte)Kind;
        ClientId.TryWriteBytes(head[2..18]);
        BinaryPrimitives.WriteInt64LittleEndian(head[18..], JobId);
        BinaryPrimitives.WriteInt64LittleEndian(head[26..], BatchId);
        destination.Advance(34);
        if (Kind == ClusterMessageKind.Tasks)
        {
            WriteUInt64(destination, MethodId);
            WriteUInt64(destination, ShapeId);
            WriteString(destination, MethodName);
            WriteString(destination, ReplyQueue);
            WriteInt32(destination, FirstIndex);
            WriteInt32(destination, Count);
            WriteUInt64(destination, (ulong)ExpiresAtUnixMs);
        }
        else if (Kind != ClusterMessageKind.Cancel)
        {
            WriteString(destination, Host);
            WriteInt32(destination, Pid);
            WriteInt32(destination, Deliveries);
            WriteString(destination, Text);
        }

        destination.Write(payload);
    }

    /// <summary>Reads a message whose signature was checked; throws <see cref="ClusterMessageException"/> when it is malformed.</summary>
    public static ClusterMessage Read(ReadOnlyMemory<byte> body)
    {
        var reader = new Reader(body);
        byte version = reader.Byte();
        if (version != Version)
        {
            throw new ClusterMessageException(string.Create(CultureInfo.InvariantCulture,
                $"The message has version {version}; this build reads version {Version}: client and workers must run the same release of ParallelDsl.Cluster."));
        }

        var kind = (ClusterMessageKind)reader.Byte();
        if (kind is < ClusterMessageKind.Tasks or > ClusterMessageKind.Cancel)
        {
            throw new ClusterMessageException(string.Create(CultureInfo.InvariantCulture, $"The message has the unknown kind {(byte)kind}."));
        }

        var clientId = new Guid(reader.Bytes(16).Span);
        long jobId = reader.Int64();
        long batchId = reader.Int64();
        if (kind == ClusterMessageKind.Tasks)
        {
            ulong methodId = (ulong)reader.Int64();
            ulong shapeId = (ulong)reader.Int64();
            string methodName = reader.String();
            string replyQueue = reader.String();
            int firstIndex = reader.Int32();
            int count = reader.Int32();
            long expires = reader.Int64();
            if (count < 1 || firstIndex < 0)
            {
                throw new ClusterMessageException(string.Create(CultureInfo.InvariantCulture, $"The task message announces {count} tasks from index {firstIndex}."));
            }

            return new ClusterMessage
            {
                Kind = kind, ClientId = clientId, JobId = jobId, BatchId = batchId, MethodId = methodId, ShapeId = shapeId, MethodName = methodName,
                ReplyQueue = replyQueue, FirstIndex = firstIndex, Count = count, ExpiresAtUnixMs = expires, Payload = reader.Rest(),
            };
        }

        if (kind == ClusterMessageKind.Cancel)
        {
            return new ClusterMessage { Kind = kind, ClientId = clientId, JobId = jobId, BatchId = batchId };
        }

        return new ClusterMessage
        {
            Kind = kind, ClientId = clientId, JobId = jobId, BatchId = batchId, Host = reader.String(), Pid = reader.Int32(),
            Deliveries = reader.Int32(), Text = reader.String(), Payload = reader.Rest(),
        };
    }

    private static void WriteInt32(IBufferWriter<byte> destination, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination.GetSpan(4), value);
        destination.Advance(4);
    }

    private static void WriteUInt64(IBufferWriter<byte> destination, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination.GetSpan(8), value);
        destination.Advance(8);
    }

    private static void WriteString(IBufferWriter<byte> destination, string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        WriteInt32(destination, length);
        Encoding.UTF8.GetBytes(value, destination.GetSpan(length));
        destination.Advance(length);
    }

    private struct Reader(ReadOnlyMemory<byte> body)
    {
        private int _position;

        public byte Byte() => Bytes(1).Span[0];

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4).Span);

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8).Span);

        public string String()
        {
            int length = Int32();
            if (length < 0)
            {
                throw new ClusterMessageException(string.Create(CultureInfo.InvariantCulture, $"A string of the message has the length {length} at offset {_position - 4}."));
            }

            return Encoding.UTF8.GetString(Bytes(length).Span);
        }

        public ReadOnlyMemory<byte> Bytes(int count)
        {
            if (count > body.Length - _position)
            {
                throw new ClusterMessageException(string.Create(CultureInfo.InvariantCulture,
                    $"The message ends at {body.Length} bytes while {count} more were due at offset {_position}."));
            }

            ReadOnlyMemory<byte> slice = body.Slice(_position, count);
            _position += count;
            return slice;
        }

        public ReadOnlyMemory<byte> Rest() => body[_position..];
    }
}

/// <summary>A cluster message that is malformed, unsigned, signed with another key, or over the size limit.</summary>
public sealed class ClusterMessageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClusterMessageException()
        : base("A cluster message was rejected.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">Why the message was rejected.</param>
    public ClusterMessageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    /// <param name="message">Why the message was rejected.</param>
    /// <param name="innerException">The cause.</param>
    public ClusterMessageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
