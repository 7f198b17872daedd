using System.Buffers;

namespace ParallelDsl.Wire;

/// <summary>
/// A frame buffer of the runtime that can take back bytes already advanced over: what lets a batch replace a task's
/// half-written result by its error (<see cref="GeneratedSupport.WireWriter.Rewind"/>) in place.
/// </summary>
internal interface IRetractableBufferWriter : IBufferWriter<byte>
{
    /// <summary>Takes back the last <paramref name="count"/> bytes written.</summary>
    void Retract(int count);
}
