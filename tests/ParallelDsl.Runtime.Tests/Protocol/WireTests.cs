using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Authentication;
using ParallelDsl.Wire;

namespace ParallelDsl.Tests.Processes;

/// <summary>
/// The parent's end of a worker socket against fake peers over real Unix sockets: impostors with a wrong key,
/// peers that write garbage, truncated or oversized frames. The parent reports each on that channel and goes on.
/// </summary>
public sealed class WireTests : IDisposable
{
    private const int MaxBody = 64 * 1024;
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("pdsl-test-").FullName;
    private readonly byte[] _key = WorkerAuthentication.CreateKey();
    private readonly byte[] _token = [1, 2, 3, 4];
    private readonly WorkerListener _listener;

    public WireTests()
    {
        _listener = WorkerListener.Bind(Path.Combine(_directory, "w.sock"), _key, _token, MaxBody);
    }

    public void Dispose()
    {
        _listener.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_peer_with_a_wrong_key_is_refused_and_the_real_worker_still_gets_in()
    {
        Task<WorkerConnection> accept = Accept();

        await Assert.ThrowsAsync<AuthenticationException>(() => Connect(WorkerAuthentication.CreateKey()));
        Assert.False(accept.IsCompleted);
        Assert.Equal(1, _listener.RefusedConnections);
        Assert.IsType<AuthenticationException>(_listener.LastRefusal);

        using FrameConnection worker = await Connect(_key);
        using WorkerConnection channel = await accept.WaitAsync(Safety);
        Assert.Equal(Environment.ProcessId, channel.WorkerPid);
    }

    [Fact]
    public async Task A_peer_that_writes_garbage_instead_of_authenticating_is_refused()
    {
        Task<WorkerConnection> accept = Accept();

        using (Socket impostor = await RawConnect())
        {
            await impostor.SendAsync(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF, 0x77, 0x77, 0x77, 0x77, 0x00 });
            await WaitUntil(() => _listener.RefusedConnections == 1);
        }

        Assert.IsType<ProtocolException>(_listener.LastRefusal);
        Assert.False(accept.IsCompleted);
        using FrameConnection worker = await Connect(_key);
        using WorkerConnection channel = await accept.WaitAsync(Safety);
    }

    [Fact]
    public void A_task_written_straight_into_a_lane_reads_back_as_the_frame_form_and_one_that_does_not_fit_is_refused()
    {
        byte[] owner = System.Text.Encoding.UTF8.GetBytes("Owner, Version=1.0.0.0");
        var framed = new PooledBufferWriter();
        TaskRequest.Write(framed, 5, 0xABCDEF, "Owner, Version=1.0.0.0", [9, 8, 7]);
        var area = new byte[framed.WrittenCount];

        Assert.True(TaskRequest.TryWrite(area, 5, 0xABCDEF, owner, [9, 8, 7], out int written));
        Assert.False(TaskRequest.TryWrite(new byte[framed.WrittenCount - 1], 5, 0xABCDEF, owner, [9, 8, 7], out _));

        Assert.Equal(framed.WrittenSpan.ToArray(), area[..written]);
        TaskRequest request = TaskRequest.Read(area);
        Assert.Equal((5UL, 0xABCDEFUL, "Owner, Version=1.0.0.0"), (request.TaskId, request.MethodId, request.Owner));
        Assert.Equal(owner, request.OwnerUtf8.ToArray());
        Assert.Equal(new byte[] { 9, 8, 7 }, request.Arguments.ToArray());
    }

    [Fact]
    public async Task A_task_and_its_result_cross_the_channel()
    {
        (WorkerConnection channel, FrameConnection worker) = await ConnectPair();
        using (channel)
        using (worker)
        {
            await channel.SendTaskAsync(5, 0xABCDEF, "Owner, Version=1.0.0.0", new byte[] { 9, 8, 7 }, CancellationToken.None);
            using (Frame frame = (await worker.ReceiveAsync(CancellationToken.None))!)
            {
                TaskRequest request = TaskRequest.Read(frame);
                Assert.Equal((5UL, 0xABCDEFUL, "Owner, Version=1.0.0.0"), (request.TaskId, request.MethodId, request.Owner));
                Assert.Equal(new byte[] { 9, 8, 7 }, request.Arguments.ToArray());
            }

            var body = worker.Begin(FrameKind.Result);
            TaskResult.WritePrefix(body, 5, isSuccess: true);
            FrameWriter.WriteBytes(body, [42]);
            await worker.SendAsync(CancellationToken.None);

            using TaskResult? result = await channel.ReceiveAsync(CancellationToken.None);
            Assert.NotNull(result);
            Assert.Equal((5UL, true), (result.TaskId, result.IsSuccess));
            Assert.Equal(new byte[] { 42 }, result.Payload.ToArray());
        }
    }

    [Fact]
    public async Task A_worker_that_closes_its_end_is_reported_as_gone()
    {
        (WorkerConnection channel, FrameConnection worker) = await ConnectPair();
        using (channel)
        {
            worker.Dispose();

            Assert.Null(await channel.ReceiveAsync(CancellationToken.None).AsTask().WaitAsync(Safety));
        }
    }

    public static TheoryData<byte[], string> CorruptFrames => new()
    {
        { Header(4, version: 9, kind: 6), "wire version 9" }, // wrong version
        { Header(4, version: 1, kind: 200), "unknown kind 200" }, // unknown kind
        { Header(MaxBody + 1, version: 1, kind: 6), $"Frame of {MaxBody + 1} bytes exceeds the maximum frame length of {MaxBody} bytes" }, // oversized
        { [1, 0, 0], "in the middle of a frame header (3 of 8 bytes)" }, // truncated header
        { [.. Header(100, version: 1, kind: 6), 1, 2, 3], "in the middle of a Result frame (3 of 100 body bytes)" }, // truncated body
        { [.. Header(9, version: 1, kind: 6), 1, 0, 0, 0, 0, 0, 0, 0, 7], "unknown status 7" }, // unknown status
        { [.. Header(3, version: 1, kind: 6), 1, 2, 3], "Malformed Result frame (3 bytes)" }, // short result
        { Header(0, version: 1, kind: 5), "only Result frames may follow authentication" }, // unexpected kind
    };

    [Theory]
    [MemberData(nameof(CorruptFrames))]
    public async Task A_corrupt_frame_from_a_worker_is_a_clear_protocol_error_on_its_channel(byte[] bytes, string expected)
    {
        (WorkerConnection corruptChannel, Socket corruptWorker) = await ConnectRawPair();
        using (corruptChannel)
        using (corruptWorker)
        {
            await corruptWorker.SendAsync(bytes);
            corruptWorker.Shutdown(SocketShutdown.Send);

            var error = await Assert.ThrowsAsync<ProtocolException>(
                () => corruptChannel.ReceiveAsync(CancellationToken.None).AsTask().WaitAsync(Safety));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Reading_past_the_end_of_a_body_is_a_protocol_error_not_a_crash()
    {
        var error = Assert.Throws<ProtocolException>(() =>
        {
            var reader = new FrameReader([1, 0, 0, 0, 65], FrameKind.Task);
            reader.ReadString();
            reader.ReadUInt64();
        });

        Assert.Equal("Malformed Task frame (5 bytes): only 0 bytes left at offset 5 where 8 bytes of uint64 were expected.", error.Message);
    }

    [Fact]
    public void A_negative_string_length_is_a_protocol_error()
    {
        var error = Assert.Throws<ProtocolException>(() => new FrameReader([0xFF, 0xFF, 0xFF, 0xFF], FrameKind.Result).ReadString());

        Assert.Contains("negative string length -1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_frame_larger_than_the_limit_is_refused_before_it_is_sent()
    {
        (WorkerConnection channel, FrameConnection worker) = await ConnectPair();
        using (channel)
        using (worker)
        {
            var error = await Assert.ThrowsAsync<ProtocolException>(() =>
                channel.SendTaskAsync(1, 1, "Owner", new byte[MaxBody], CancellationToken.None).AsTask());

            Assert.Contains("exceeds the maximum frame length", error.Message, StringComparison.Ordinal);
        }
    }

    private static byte[] Header(int length, byte version, byte kind)
    {
        byte[] header = new byte[FrameHeader.Size];
        BinaryPrimitives.WriteInt32LittleEndian(header, length);
        header[4] = version;
        header[5] = kind;
        return header;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + Safety;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true in time.");
            await Task.Delay(10);
        }
    }

    private async Task<WorkerConnection> Accept()
    {
        (FrameConnection connection, int pid) = await _listener.AcceptAsync(CancellationToken.None);
        return new WorkerConnection(connection, pid, process: null);
    }

    private Task<FrameConnection> Connect(byte[] key) =>
        Task.Run(() => WorkerConnector.Connect(_listener.SocketPath, key, _token, MaxBody, Safety)).WaitAsync(Safety);

    private async Task<Socket> RawConnect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_listener.SocketPath));
        return socket;
    }

    /// <summary>A worker that authenticates by hand over a raw socket, so the test can then write any bytes.</summary>
    private async Task<(WorkerConnection Channel, Socket Worker)> ConnectRawPair()
    {
        Task<WorkerConnection> accept = Accept();
        Socket worker = await RawConnect();
        byte[] challenge = new byte[FrameHeader.Size + WorkerAuthentication.NonceLength];
        await worker.ReceiveAsync(challenge).WaitAsync(Safety);

        byte[] answer = new byte[FrameHeader.Size + sizeof(int) + WorkerAuthentication.MacLength];
        FrameHeader.Write(answer, answer.Length - FrameHeader.Size, FrameKind.Authenticate);
        BinaryPrimitives.WriteInt32LittleEndian(answer.AsSpan(FrameHeader.Size), Environment.ProcessId);
        WorkerAuthentication.ComputeMac(_key, challenge.AsSpan(FrameHeader.Size), _token, answer.AsSpan(FrameHeader.Size + sizeof(int)));
        await worker.SendAsync(answer);

        byte[] accepted = new byte[FrameHeader.Size];
        await worker.ReceiveAsync(accepted).WaitAsync(Safety);
        Assert.Equal((byte)FrameKind.Accepted, accepted[5]);
        return (await accept.WaitAsync(Safety), worker);
    }

    private async Task<(WorkerConnection Channel, FrameConnection Worker)> ConnectPair()
    {
        Task<WorkerConnection> accept = Accept();
        FrameConnection worker = await Connect(_key);
        return (await accept.WaitAsync(Safety), worker);
    }
}
