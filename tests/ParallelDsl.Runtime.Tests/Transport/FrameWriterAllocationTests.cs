using System.Buffers;
using ParallelDsl.Tests.Processes;
using ParallelDsl.Wire;

namespace ParallelDsl.Tests.Transport;

/// <summary>
/// A worker encodes every result into its connection's reused frame writer: a small result costs no allocation at
/// all, and a large one goes to a memory file without growing and copying a managed buffer.
/// </summary>
public sealed class FrameWriterAllocationTests
{
    [Fact]
    public void Running_a_task_with_an_int_result_into_the_reused_frame_writer_allocates_nothing()
    {
        ReadOnlyMemory<byte> arguments = ProcessSubjects.SquareProcess.EncodeArguments(12345);
        using var writer = new FrameSpillWriter(canSpill: true, maxBodyLength: 1 << 20);
        ProcessSubjects.SquareProcess.Invoke(arguments.Span, writer);
        writer.Reset();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            ProcessSubjects.SquareProcess.Invoke(arguments.Span, writer);
            writer.Reset();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_large_result_is_written_into_a_memory_file_with_no_managed_buffer_beyond_the_small_one()
    {
        byte[] data = new byte[32 * 1024 * 1024];
        Random.Shared.NextBytes(data);
        ReadOnlyMemory<byte> arguments = ProcessSubjects.EchoProcess.EncodeArguments(data);
        using var writer = new FrameSpillWriter(canSpill: true, maxBodyLength: 64 * 1024 * 1024);
        writer.GetSpan(FrameHeader.Size);
        writer.Advance(FrameHeader.Size);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ProcessSubjects.EchoProcess.Invoke(arguments.Span, writer);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The method's decoded argument (the 32 MiB array it echoes) is the only large allocation.
        Assert.True(writer.IsSpilled);
        Assert.InRange(allocated, data.Length, data.Length + (64 * 1024));
        Assert.Equal(data, ProcessSubjects.EchoProcess.DecodeResult(writer.WrittenSpan[FrameHeader.Size..].ToArray()));
    }
}
