using ParallelDsl.Tests.Processes;

namespace ParallelDsl.Runtime.Tests.Codecs;

/// <summary>
/// Launchers encode a call's arguments into a per-thread buffer: an encoding allocates its exact-sized result and
/// nothing else, and consecutive encodings on one thread do not share bytes.
/// </summary>
public sealed class ArgumentEncodingTests
{
    [Fact]
    public void Encoding_an_int_allocates_only_its_result()
    {
        ProcessSubjects.SquareProcess.EncodeArguments(1);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ReadOnlyMemory<byte> encoded = ProcessSubjects.SquareProcess.EncodeArguments(12345);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // An array's header and length take 24 bytes on 64-bit; the int's encoding fits in the next 8.
        Assert.InRange(allocated, 1, 32);
        Assert.Equal(12345 * 12345, ProcessSubjects.SquareProcess.DecodeResult(Run(ProcessSubjects.SquareProcess.Invoke, encoded)));
    }

    [Fact]
    public void Encoding_a_64_KiB_array_again_allocates_only_its_result()
    {
        byte[] data = new byte[64 * 1024];
        Random.Shared.NextBytes(data);
        ProcessSubjects.EchoProcess.EncodeArguments(data);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ReadOnlyMemory<byte> encoded = ProcessSubjects.EchoProcess.EncodeArguments(data);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, encoded.Length, encoded.Length + 32);
        Assert.Equal(data, ProcessSubjects.EchoProcess.DecodeResult(Run(ProcessSubjects.EchoProcess.Invoke, encoded)));
    }

    [Fact]
    public void Each_encoding_owns_its_bytes()
    {
        ReadOnlyMemory<byte> first = ProcessSubjects.EchoProcess.EncodeArguments([1, 2, 3]);
        ReadOnlyMemory<byte> second = ProcessSubjects.EchoProcess.EncodeArguments([4, 5, 6, 7]);

        Assert.Equal([1, 2, 3], ProcessSubjects.EchoProcess.DecodeResult(Run(ProcessSubjects.EchoProcess.Invoke, first)));
        Assert.Equal([4, 5, 6, 7], ProcessSubjects.EchoProcess.DecodeResult(Run(ProcessSubjects.EchoProcess.Invoke, second)));
    }

    [Fact]
    public void A_large_argument_keeps_its_bytes_after_later_encodings()
    {
        byte[] large = new byte[8 * 1024 * 1024];
        Random.Shared.NextBytes(large);

        ReadOnlyMemory<byte> encoded = ProcessSubjects.EchoProcess.EncodeArguments(large);
        ProcessSubjects.EchoProcess.EncodeArguments(new byte[1024]);
        ProcessSubjects.EchoProcess.EncodeArguments(new byte[6 * 1024 * 1024]);

        Assert.Equal(large, ProcessSubjects.EchoProcess.DecodeResult(Run(ProcessSubjects.EchoProcess.Invoke, encoded)));
    }

    [Fact]
    public void An_empty_array_encodes_and_decodes()
    {
        ReadOnlyMemory<byte> encoded = ProcessSubjects.EchoProcess.EncodeArguments([]);

        Assert.Empty(ProcessSubjects.EchoProcess.DecodeResult(Run(ProcessSubjects.EchoProcess.Invoke, encoded)));
    }

    private static byte[] Run(Action<ReadOnlySpan<byte>, System.Buffers.IBufferWriter<byte>> invoke, ReadOnlyMemory<byte> arguments)
    {
        var result = new System.Buffers.ArrayBufferWriter<byte>();
        invoke(arguments.Span, result);
        return result.WrittenSpan.ToArray();
    }
}
