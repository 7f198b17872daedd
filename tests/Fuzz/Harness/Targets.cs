using System.IO;
using ParallelDsl.Fuzz.Subjects;
using ParallelDsl.GeneratedSupport;
using ParallelDsl.Wire;

namespace ParallelDsl.Fuzz;

/// <summary>
/// The fuzz targets. Each reads bytes as a peer process could have sent them; a decoder may reject them only with the
/// exceptions its callers handle (the "clean rejections" below). Anything else escaping is a finding.
/// </summary>
internal static class Targets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["frame-header"] = FrameHeaderTarget,
        ["spill-descriptor"] = bytes => _ = FrameSpill.ReadDescriptor(bytes, maxBodyLength: 1 << 20),
        ["task-request"] = bytes => _ = TaskRequest.Read(bytes).Owner,
        ["task-result"] = TaskResultTarget,
        ["order-codec"] = OrderCodecTarget,
    };

    /// <summary>Whether <paramref name="exception"/> is how a decoder says "these bytes are not valid".</summary>
    public static bool IsCleanRejection(Exception exception) =>
        exception is ProtocolException or WireFormatException or InvalidDataException;

    /// <summary>Real inputs of each target, written by the encoders the runtime uses.</summary>
    public static IEnumerable<(string Target, string Name, byte[] Bytes)> Seeds()
    {
        var header = new byte[FrameHeader.Size];
        FrameHeader.Write(header, 42, FrameKind.Task);
        yield return ("frame-header", "task", header);

        var spill = new byte[FrameSpill.DescriptorSize];
        FrameSpill.WriteDescriptor(spill, FrameKind.Result, 3 << 20);
        yield return ("spill-descriptor", "result", spill);

        var request = new PooledBufferWriter();
        TaskRequest.Write(request, taskId: 7, methodId: 0x1234_5678_9ABC_DEF0, owner: "Orders", [1, 2, 3, 4]);
        yield return ("task-request", "small", request.WrittenSpan.ToArray());

        var success = new PooledBufferWriter();
        TaskResult.WritePrefix(success, taskId: 7, isSuccess: true);
        System.Buffers.BuffersExtensions.Write<byte>(success, [9, 9, 9]);
        yield return ("task-result", "success", success.WrittenSpan.ToArray());

        var failure = new PooledBufferWriter();
        TaskResult.WritePrefix(failure, taskId: 8, isSuccess: false);
        TaskResult.WriteError(failure, RemoteError.From(new InvalidOperationException("boom"), 1234, "worker-1"));
        yield return ("task-result", "failure", failure.WrittenSpan.ToArray());

        var order = new Order(
            1, "Ada", [new OrderLine("A-1", 2, 0.5m), new OrderLine("B-2", 1, null)], new() { ["rush"] = 1 }, [0xCA, 0xFE], OrderState.Paid, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        yield return ("order-codec", "order", EncodeOrder(order));
        yield return ("order-codec", "empty", EncodeOrder(new Order(0, "", [], [], [], OrderState.Open, null)));
    }

    private static void FrameHeaderTarget(byte[] bytes)
    {
        if (bytes.Length >= FrameHeader.Size)
        {
            _ = FrameHeader.Read(bytes, maxBodyLength: 1 << 20);
        }
    }

    private static void TaskResultTarget(byte[] bytes)
    {
        ReadOnlySpan<byte> payload = TaskResult.ReadBody(bytes, out _, out bool isSuccess);
        if (!isSuccess)
        {
            _ = TaskResult.ReadError(payload).ToException();
        }
    }

    private static void OrderCodecTarget(byte[] bytes)
    {
        ElementDecoder<Order> decoder = ElementCodec<Order>.Decoder ?? throw new InvalidOperationException("The generator wrote no codec for Order.");
        var reader = new WireReader(bytes);
        decoder(ref reader, out Order order);
        reader.EnsureEnd();
        // A codec carries nulls as they were sent (nullable annotations are not enforced at run time): walk what came.
        _ = order?.Customer?.Length + order?.Lines?.Sum(line => line?.Sku?.Length ?? 0) + order?.Tags?.Count + order?.Note?.Length;
    }

    private static byte[] EncodeOrder(Order order)
    {
        ElementEncoder<Order> encoder = ElementCodec<Order>.Encoder ?? throw new InvalidOperationException("The generator wrote no codec for Order.");
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new WireWriter(buffer);
        encoder(ref writer, order);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
