using System.Buffers;
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
