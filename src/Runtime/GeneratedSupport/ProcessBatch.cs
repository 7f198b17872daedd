using System;
using System.Buffers;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using ParallelDsl.Wire;

namespace ParallelDsl.GeneratedSupport;

/// <summary>
/// Many pool tasks of one method in one task frame, and their outcomes in one result frame: a map of tiny tasks pays
/// the round trip to the worker once per batch instead of once per task. The batch is a method of the dispatch table
/// like any other, so the worker loop needs nothing new; the method's generated batch codecs do the per-task work
/// with one <see cref="WireWriter"/> or <see cref="WireReader"/> for the whole batch. The public members are for
/// the generated <see cref="ProcessBatchInvoker"/>s.
/// </summary>
/// <remarks>
/// Task frame: the inner method's id and owner, the task count, then the tasks' encoded arguments back to back.
/// Result frame: the task count again, then per task a status byte (0: the encoded result follows; 1: the
/// <see cref="RemoteError"/> of the exception it threw). Both sides check the count, and a reader that does not end
/// exactly at the end of the frame fails. The worker runs the tasks in order; if it dies during a batch, the parent
/// cannot tell which task it held, so the pool runs the unreported tasks again one per frame
/// (see <see cref="PoolChunk.RunsSingly"/>).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ProcessBatch
{
    /// <summary>The batch method's id in the dispatch table ("PDSLBTCH").</summary>
    internal const ulong MethodId = 0x5044_534C_4254_4348;

    /// <summary>The assembly that declares the batch method, as task frames name it.</summary>
    internal static readonly string Owner = typeof(ProcessBatch).Assembly.FullName!;

    /// <summary>Starts the outcome of one task with the success status; returns where it starts, for <see cref="FailItem"/>.</summary>
    /// <param name="writer">The writer of the batch's outcomes.</param>
    public static long BeginItem(ref WireWriter writer)
    {
        long start = writer.BytesWritten;
        writer.WriteByte(OutcomeStatus.Succeeded);
        return start;
    }

    /// <summary>
    /// Replaces the outcome started at <paramref name="item"/> (and whatever part of a result was written) by the
    /// error <paramref name="exception"/>: that task fails, the others of the batch are not touched.
    /// </summary>
    /// <param name="writer">The writer of the batch's outcomes.</param>
    /// <param name="item">What <see cref="BeginItem"/> returned for the task.</param>
    /// <param name="exception">What the task threw.</param>
    public static void FailItem(ref WireWriter writer, long item, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        writer.Rewind(item);
        writer.WriteByte(OutcomeStatus.Failed);
        RemoteError.From(exception, Environment.ProcessId, CurrentProcess.Name).Write(ref writer);
    }

#pragma warning disable CA2255 // The batch method must be in the dispatch table of every process, the workers included, before any task arrives.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        ProcessDispatch.Register(new ProcessMethod(MethodId, "ParallelDsl.ProcessBatch", typeof(ProcessBatch).Assembly, Invoke));

    /// <summary>Writes the head of a batch's arguments; follow with the tasks' arguments.</summary>
    internal static void WriteHead(IBufferWriter<byte> destination, ulong methodId, int count)
    {
        ProcessDispatch.TryGet(methodId, out ProcessMethod? method);
        FrameWriter.WriteUInt64(destination, methodId);
        FrameWriter.WriteString(destination, method?.OwnerName ?? string.Empty);
        FrameWriter.WriteInt32(destination, count);
    }

    /// <summary>
    /// The encoded outcomes of a batch's result frame, once it is checked to hold <paramref name="count"/> of them: what
    /// a generated <see cref="ProcessBatchDecoder{T}"/> reads. Throws <see cref="ProtocolException"/> when the count differs.
    /// </summary>
    internal static ReadOnlySpan<byte> Outcomes(ReadOnlySpan<byte> payload, int count)
    {
        var reader = new FrameReader(payload, FrameKind.Result);
        int held = reader.ReadInt32();
        if (held != count)
        {
            throw new ProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"Malformed batch result: it holds {held} outcomes for a batch of {count} tasks."));
        }

        return reader.ReadRest();
    }

    /// <summary>The worker's side: runs the tasks with the inner method's batch invoker, straight into the result frame.</summary>
    private static void Invoke(ReadOnlySpan<byte> arguments, IBufferWriter<byte> result)
    {
        var reader = new FrameReader(arguments, FrameKind.Task);
        ulong methodId = reader.ReadUInt64();
        ReadOnlySpan<byte> owner = reader.ReadStringBytes();
        int count = reader.ReadInt32();
        if (count < 1)
        {
            throw new ProtocolException(string.Create(CultureInfo.InvariantCulture, $"Malformed batch: it announces {count} tasks."));
        }

        ProcessMethod method = ProcessDispatch.Resolve(methodId, owner);
        ProcessBatchInvoker invokeBatch = method.InvokeBatch
            ?? throw new InvalidOperationException($"{method.Name} has no batch invoker in this worker; parent and worker must run the same build of the program.");
        FrameWriter.WriteInt32(result, count);
        if (result is IRetractableBufferWriter)
        {
            invokeBatch(reader.ReadRest(), count, result);
            return;
        }

        // A task that fails after writing part of its result is taken back, which only the runtime's buffers allow.
        using var outcomes = new PooledBufferWriter();
        invokeBatch(reader.ReadRest(), count, outcomes);
        FrameWriter.WriteBytes(result, outcomes.WrittenSpan);
    }
}
