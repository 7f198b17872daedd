using System.Buffers.Binary;
using System.Net.Sockets;
using ParallelDsl.Runtime.Tests.Pools;
using ParallelDsl.Wire;

namespace ParallelDsl.Tests.Transport;

/// <summary>
/// Frames larger than <see cref="FrameSpill.Threshold"/> through a memory file, between the two kinds of connection a
/// parent and a worker hold (a <see cref="NetworkStream"/> and a <see cref="UnixSocketStream"/>), and the descriptors a
/// broken or hostile peer could send instead.
/// </summary>
[Collection(nameof(ProcessWideSettings))]
public sealed class FrameSpillTests : IDisposable
{
    private const int MaxBody = 80 * 1024 * 1024;
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    private readonly string _directory = Directory.CreateTempSubdirectory("pdsl-spill-").FullName;
    private readonly (int, int) _before = MemoryFileCensus.Take();
    private readonly FrameConnection _parent;
    private readonly FrameConnection _worker;

    public FrameSpillTests()
    {
        string path = Path.Combine(_directory, "s.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        _worker = new FrameConnection(UnixSocketStream.Connect(path, SocketTuning.BufferSize), MaxBody);
        _parent = new FrameConnection(new NetworkStream(listener.Accept(), ownsSocket: true), MaxBody);
    }

    public void Dispose()
    {
        _parent.Dispose();
        _worker.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    public static TheoryData<int> BodyLengths => [0, 1, FrameSpill.Threshold - 1, FrameSpill.Threshold, FrameSpill.Threshold + 1, 64 * 1024 * 1024];

    [Theory]
    [MemberData(nameof(BodyLengths))]
    public async Task A_frame_arrives_whole_both_ways_and_only_one_larger_than_the_threshold_takes_a_memory_file(int length)
    {
        byte[] body = new byte[length];
        Random.Shared.NextBytes(body);
        long spilledBefore = FrameSpill.ReceivedCount;

        // Parent to worker: sent asynchronously (as the parent's channel does), received blocking.
        FrameWriter.WriteBytes(_parent.Begin(FrameKind.Task), body);
        Task sending = _parent.SendAsync(CancellationToken.None).AsTask();
        using (Frame? task = await Task.Run(_worker.Receive).WaitAsync(Safety))
        {
            await sending.WaitAsync(Safety);
            Assert.NotNull(task);
            Assert.Equal(FrameKind.Task, task.Kind);
            Assert.True(task.Body.SequenceEqual(body));
        }

        // Worker to parent: sent blocking, received asynchronously.
        FrameWriter.WriteBytes(_worker.Begin(FrameKind.Result), body);
        Task blockingSend = Task.Run(_worker.Send);
        using (Frame? result = await _parent.ReceiveAsync(CancellationToken.None).AsTask().WaitAsync(Safety))
        {
            await blockingSend.WaitAsync(Safety);
            Assert.NotNull(result);
            Assert.Equal(FrameKind.Result, result.Kind);
            Assert.True(result.BodyMemory.Span.SequenceEqual(body));
        }

        Assert.Equal(length > FrameSpill.Threshold ? 2 : 0, FrameSpill.ReceivedCount - spilledBefore);
        MemoryFileCensus.AssertNoLeakSince(_before);
    }

    [Fact]
    public async Task A_large_size_hint_for_a_small_frame_still_sends_it_whole()
    {
        // A writer may ask for more room than it fills (a string's longest UTF-8 form): the frame moves to a memory
        // file, comes out small, and goes through the socket.
        var body = _worker.Begin(FrameKind.Result);
        body.GetSpan(4 * FrameSpill.Threshold)[..3].Fill(7);
        body.Advance(3);
        _worker.Send();

        using Frame? result = await _parent.ReceiveAsync(CancellationToken.None).AsTask().WaitAsync(Safety);

        Assert.Equal([7, 7, 7], result!.Body.ToArray());
        MemoryFileCensus.AssertNoLeakSince(_before);
    }

    [Fact]
    public async Task A_frame_in_a_memory_file_takes_back_its_last_bytes_and_sends_what_is_left()
    {
        // What a batch does when a task's result fails half-way after the frame spilled: the bytes are taken back in place.
        byte[] body = new byte[FrameSpill.Threshold + 4096];
        Random.Shared.NextBytes(body);
        long spilledBefore = FrameSpill.ReceivedCount;
        var frame = (IRetractableBufferWriter)_worker.Begin(FrameKind.Result);
        FrameWriter.WriteBytes(frame, body);
        frame.Retract(3000);
        FrameWriter.WriteBytes(frame, [1, 2, 3]);
        _worker.Send();

        using (Frame? result = await _parent.ReceiveAsync(CancellationToken.None).AsTask().WaitAsync(Safety))
        {
            Assert.Equal(1, FrameSpill.ReceivedCount - spilledBefore);
            Assert.Equal(body.Length - 3000 + 3, result!.Body.Length);
            Assert.True(result.Body[..^3].SequenceEqual(body.AsSpan(0, body.Length - 3000)));
            Assert.Equal([1, 2, 3], result.Body[^3..].ToArray());
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => ((IRetractableBufferWriter)_worker.Begin(FrameKind.Result)).Retract(FrameHeader.Size + 1));
        _worker.DiscardPending();
        MemoryFileCensus.AssertNoLeakSince(_before);
    }

    [Fact]
    public async Task Frames_after_a_spilled_one_keep_their_order_and_content()
    {
        byte[] large = new byte[FrameSpill.Threshold * 3];
        Random.Shared.NextBytes(large);
        Task sending = Task.Run(() =>
        {
            for (int i = 0; i < 3; i++)
            {
                FrameWriter.WriteBytes(_parent.Begin(FrameKind.Task), large);
                _parent.Send();
                FrameWriter.WriteInt32(_parent.Begin(FrameKind.Task), i);
                _parent.Send();
            }
        });

        for (int i = 0; i < 3; i++)
        {
            using (Frame big = _worker.ReceiveExpected(FrameKind.Task))
            {
                Assert.True(big.Body.SequenceEqual(large));
            }

            using Frame small = _worker.ReceiveExpected(FrameKind.Task);
            Assert.Equal(i, BinaryPrimitives.ReadInt32LittleEndian(small.Body));
        }

        await sending.WaitAsync(Safety);
        MemoryFileCensus.AssertNoLeakSince(_before);
    }

    [Fact]
    public void A_descriptor_naming_a_frame_over_the_limit_is_a_ProtocolException_before_anything_is_mapped()
    {
        using (MemoryFile file = MemoryFile.Create(16, seal: true))
        {
            SendSpill(FrameKind.Result, uint.MaxValue, file.Descriptor);
        }

        ProtocolException error = Assert.Throws<ProtocolException>(() => _parent.Receive());
        Assert.Contains("exceeds the maximum frame length", error.Message, StringComparison.Ordinal);
        MemoryFileCensus.AssertNoLeakSince(_before);
    }

    [Fact]
    public void A_memory_file_shorter_than_its_descriptor_says_is_a_ProtocolException()
    {
        using MemoryFile file = MemoryFile.Create(4096, seal: true);

        SendSpill(FrameKind.Result, 2 * 1024 * 1024, file.Descriptor);

        ProtocolException error = Assert.Throws<ProtocolException>(() => _parent.Receive());
        Assert.Contains("cannot be mapped safely", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_memory_file_that_could_still_shrink_under_the_mapping_is_a_ProtocolException()
    {
        using MemoryFile file = MemoryFile.Create(4 * 1024 * 1024, seal: false);

        SendSpill(FrameKind.Result, 2 * 1024 * 1024, file.Descriptor);

        Assert.Throws<ProtocolException>(() => _parent.Receive());
    }

    [Fact]
    public void A_descriptor_without_its_file_is_a_ProtocolException()
    {
        Span<byte> frame = stackalloc byte[FrameHeader.Size + FrameSpill.DescriptorSize];
        FrameHeader.Write(frame, FrameSpill.DescriptorSize, FrameKind.Spill);
        FrameSpill.WriteDescriptor(frame[FrameHeader.Size..], FrameKind.Task, 2 * 1024 * 1024);
        _worker.Stream.Write(frame);

        ProtocolException error = Assert.Throws<ProtocolException>(() => _parent.Receive());
        Assert.Contains("without its memory file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, 0)] // Spill
    [InlineData(7, 0)] // Shutdown
    [InlineData(6, 1)] // Result, with a reserved byte set
    public void A_descriptor_of_a_kind_that_never_spills_or_with_reserved_bytes_set_is_a_ProtocolException(byte kind, byte reserved)
    {
        byte[] descriptor = new byte[FrameSpill.DescriptorSize];
        FrameSpill.WriteDescriptor(descriptor, (FrameKind)kind, 16);
        descriptor[2] = reserved;

        Assert.Throws<ProtocolException>(() => FrameSpill.ReadDescriptor(descriptor, MaxBody));
    }

    [Fact]
    public void A_Spill_frame_whose_body_is_not_a_descriptor_is_a_ProtocolException_without_reading_it()
    {
        Span<byte> header = stackalloc byte[FrameHeader.Size];
        FrameHeader.Write(header, 64 * 1024 * 1024, FrameKind.Spill);
        _worker.Stream.Write(header);

        ProtocolException error = Assert.Throws<ProtocolException>(() => _parent.Receive());
        Assert.Contains("where its descriptor has 8", error.Message, StringComparison.Ordinal);
    }

    private void SendSpill(FrameKind kind, uint length, int descriptor)
    {
        Span<byte> header = stackalloc byte[FrameHeader.Size];
        FrameHeader.Write(header, FrameSpill.DescriptorSize, FrameKind.Spill);
        Span<byte> body = stackalloc byte[FrameSpill.DescriptorSize];
        FrameSpill.WriteDescriptor(body, kind, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(body[4..], length);
        _worker.Stream.Write(header);
        DescriptorPassing.Send(((UnixSocketStream)_worker.Stream).SocketHandle, body, descriptor);
    }

    /// <summary>A memory file made by hand, as a peer could send it.</summary>
    private sealed class MemoryFile : IDisposable
    {
        private MemoryFile(int descriptor) => Descriptor = descriptor;

        public int Descriptor { get; }

        public static MemoryFile Create(long length, bool seal)
        {
            int fd = LibC.MemfdCreate("paralleldsl-test", LibC.MemfdCloseOnExec | LibC.MemfdAllowSealing);
            Assert.True(fd >= 0);
            Assert.Equal(0, LibC.FTruncate(fd, length));
            if (seal)
            {
                Assert.Equal(0, LibC.Fcntl(fd, LibC.FcntlAddSeals, LibC.SealShrink | LibC.SealGrow));
            }

            return new MemoryFile(fd);
        }

        public void Dispose() => LibC.Close(Descriptor);
    }
}
