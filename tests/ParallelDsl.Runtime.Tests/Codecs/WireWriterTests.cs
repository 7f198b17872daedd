using System.Buffers;
using ParallelDsl.GeneratedSupport;
using ParallelDsl.Wire;

namespace ParallelDsl.Runtime.Tests.Codecs;

public sealed class WireWriterTests
{
    [Fact]
    public void Output_that_hands_out_minimal_spans_receives_the_same_bytes_as_a_growing_buffer()
    {
        var any = new Arbitrary(21);
        for (int i = 0; i < 50; i++)
        {
            Order order = any.Order();
            byte[] expected = CodecSubjects.EchoOrderProcess.EncodeArguments(order).ToArray();

            var minimal = new MinimalSpanWriter();
            var writer = new WireWriter(minimal);
            ParallelDsl.Generated.ProcessCodecs.Write(ref writer, order);
            writer.Flush();

            Assert.Equal(expected, minimal.Written.ToArray());
            Assert.True(minimal.Requests > 1 || expected.Length <= 512, "The writer should have asked for several spans.");
        }
    }

    [Fact]
    public void Nothing_reaches_the_output_before_Flush()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(output);
        writer.WriteInt32(7);
        writer.WriteString("pending");
        Assert.Equal(0, output.WrittenCount);

        writer.Flush();
        Assert.Equal(4 + 4 + 7, output.WrittenCount);
    }

    [Fact]
    public void Large_blocks_arrive_intact_through_many_spans()
    {
        long[] values = Enumerable.Range(0, 100_000).Select(i => (long)i * 1_000_003 - 7).ToArray();
        var minimal = new MinimalSpanWriter();
        var writer = new WireWriter(minimal);
        writer.WriteBlock(values);
        writer.Flush();

        var reader = new WireReader(minimal.Written.ToArray());
        Assert.Equal(values, reader.ReadBlockArray<long>());
        reader.EnsureEnd();
    }

    [Theory]
    [InlineData(10)]
    [InlineData(5_000)]
    public void Rewind_takes_back_pending_and_flushed_bytes_of_a_frame_buffer(int abandonedLength)
    {
        using var output = new PooledBufferWriter();
        var writer = new WireWriter(output);
        writer.WriteInt32(1);
        long mark = writer.BytesWritten;
        writer.WriteString(new string('a', abandonedLength));
        writer.WriteString(new string('b', abandonedLength));
        writer.WriteInt32(99);
        Assert.Equal(abandonedLength > 1_000, output.WrittenCount > mark);

        writer.Rewind(mark);
        writer.WriteString("kept");
        writer.Flush();

        var reader = new WireReader(output.WrittenSpan);
        Assert.Equal(1, reader.ReadInt32());
        Assert.Equal("kept", reader.ReadString());
        reader.EnsureEnd();
        Assert.Equal(4 + 4 + 4, writer.BytesWritten);
    }

    [Fact]
    public void Rewind_refuses_to_take_flushed_bytes_back_from_a_foreign_output()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(output);
        writer.WriteInt32(1);
        writer.Flush();
        writer.WriteInt32(2);

        writer.Rewind(4);
        Assert.Equal(4, writer.BytesWritten);
        try
        {
            writer.Rewind(0);
            Assert.Fail("Rewind took back bytes an ArrayBufferWriter already holds.");
        }
        catch (NotSupportedException error)
        {
            Assert.Contains("frame buffer", error.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>An output that gives out exactly the span size asked for, in fresh segments, like a tight pipe.</summary>
    private sealed class MinimalSpanWriter : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _current = [];

        public int Requests { get; private set; }

        public IReadOnlyList<byte> Written => _written;

        public void Advance(int count) => _written.AddRange(_current.AsSpan(0, count).ToArray());

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Requests++;
            _current = new byte[Math.Max(1, sizeHint)];
            return _current;
        }

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
