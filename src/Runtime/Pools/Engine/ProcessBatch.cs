using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using ParallelDsl.Wire;

namespace ParallelDsl;

/// <summary>
/// Many pool tasks of one method in one task frame, and their results in one result frame: a map of tiny tasks pays
/// the round trip to the worker once per batch instead of once per item. It is a method of the dispatch table like
/// any other, so the worker loop needs nothing new.
/// </summary>
/// <remarks>
/// Arguments: the inner method's id and owner, the item count, then each item's encoded arguments with its length.
/// Result: per item, a status byte (0 result, 1 error), the length, and the encoded result or <see cref="RemoteError"/>.
/// The worker runs the items in order; if it dies during a batch, the parent cannot tell which item it held, so the
/// pool runs the unreported items again one task per frame (see <see cref="PoolChunk.RunsSingly"/>).
/// </remarks>
internal static class ProcessBatch
{
    /// <summary>The batch method's id in the dispatch table ("PDSLBTCH").</summary>
    public const ulong MethodId = 0x5044_534C_4254_4348;

    private const byte Succeeded = 0;
    private const byte Failed = 1;

    /// <summary>The assembly that declares the batch method, as task frames name it.</summary>
    public static readonly string Owner = typeof(ProcessBatch).Assembly.FullName!;

#pragma warning disable CA2255 // The batch method must be in the dispatch table of every process, the workers included, before any task arrives.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        ProcessDispatch.Register(new ProcessMethod(MethodId, "ParallelDsl.ProcessBatch", typeof(ProcessBatch).Assembly, Invoke));

    /// <summary>Writes the head of a batch's arguments; follow with <see cref="WriteItem"/> for each item.</summary>
    public static void WriteHead(IBufferWriter<byte> destination, ulong methodId, int count)
    {
        ProcessDispatch.TryGet(methodId, out ProcessMethod? method);
        FrameWriter.WriteUInt64(destination, methodId);
        FrameWriter.WriteString(destination, method?.Owner.FullName ?? string.Empty);
        FrameWriter.WriteInt32(destination, count);
    }

    /// <summary>Writes the arguments of the task at <paramref name="position"/> with a length prefix, filled in afterwards.</summary>
    public static void WriteItem(ArrayBufferWriter<byte> destination, IEncodedPoolWork work, int position)
    {
        int lengthAt = destination.WrittenCount;
        FrameWriter.WriteInt32(destination, 0);
        work.WriteArguments(position, destination);
        int length = destination.WrittenCount - lengthAt - sizeof(int);
        BinaryPrimitives.WriteInt32LittleEndian(
            System.Runtime.InteropServices.MemoryMarshal.AsMemory(destination.WrittenMemory).Span.Slice(lengthAt, sizeof(int)), length);
    }

    /// <summary>Reads the next item of a batch result: its encoded result, or its error.</summary>
    public static ReadOnlySpan<byte> ReadItem(ref FrameReader reader, out RemoteException? error)
    {
        byte status = reader.ReadByte();
        ReadOnlySpan<byte> body = reader.ReadBytes(reader.ReadInt32());
        error = null;
        if (status == Failed)
        {
            var errorReader = new FrameReader(body, FrameKind.Result);
            error = RemoteError.Read(ref errorReader).ToException();
        }
        else if (status != Succeeded)
        {
            throw new ProtocolException($"Malformed batch result: unknown status {status}.");
        }

        return body;
    }

    /// <summary>The worker's side: runs each item with the inner method's invoker and collects the outcomes.</summary>
    private static void Invoke(ReadOnlySpan<byte> arguments, IBufferWriter<byte> result)
    {
        var reader = new FrameReader(arguments, FrameKind.Task);
        ulong methodId = reader.ReadUInt64();
        string owner = reader.ReadString();
        int count = reader.ReadInt32();
        ProcessMethod method = WorkerLoop.Resolve(methodId, owner);
        var item = new ArrayBufferWriter<byte>();
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> itemArguments = reader.ReadBytes(reader.ReadInt32());
            item.ResetWrittenCount();
            byte status = Succeeded;
            try
            {
                method.Invoke(itemArguments, item);
            }
#pragma warning disable CA1031 // Whatever the method throws is that item's result, rethrown in the parent as a RemoteException.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                item.ResetWrittenCount();
                status = Failed;
                RemoteError.From(exception, Environment.ProcessId, CurrentProcess.Name).Write(item);
            }

            FrameWriter.WriteByte(result, status);
            FrameWriter.WriteInt32(result, item.WrittenCount);
            FrameWriter.WriteBytes(result, item.WrittenSpan);
        }

        reader.EnsureEnd();
    }
}
