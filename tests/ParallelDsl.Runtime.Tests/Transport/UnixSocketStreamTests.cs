using System.Net.Sockets;
using ParallelDsl.Wire;

namespace ParallelDsl.Tests.Processes;

/// <summary>The worker's libc socket stream against a real listening Unix socket.</summary>
public sealed class UnixSocketStreamTests : IDisposable
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("pdsl-test-").FullName;
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly string _path;

    public UnixSocketStreamTests()
    {
        _path = Path.Combine(_directory, "s.sock");
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
        _listener.Listen(1);
    }

    public void Dispose()
    {
        _listener.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Bytes_travel_both_ways()
    {
        using UnixSocketStream stream = UnixSocketStream.Connect(_path, SocketTuning.BufferSize);
        using Socket peer = await _listener.AcceptAsync().WaitAsync(Safety);
        byte[] sent = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(sent);

        Task writing = Task.Run(() => stream.Write(sent));
        byte[] received = new byte[sent.Length];
        using (var peerStream = new NetworkStream(peer))
        {
            await peerStream.ReadExactlyAsync(received).AsTask().WaitAsync(Safety);
            await writing.WaitAsync(Safety);
            await peerStream.WriteAsync("pong"u8.ToArray()).AsTask().WaitAsync(Safety);
        }

        Assert.Equal(sent, received);
        byte[] answer = new byte[4];
        stream.ReadExactly(answer);
        Assert.Equal("pong"u8.ToArray(), answer);
    }

    [Fact]
    public async Task A_read_that_outlasts_the_timeout_fails_with_an_IOException()
    {
        using UnixSocketStream stream = UnixSocketStream.Connect(_path, SocketTuning.BufferSize);
        using Socket peer = await _listener.AcceptAsync().WaitAsync(Safety);
        stream.ReadTimeout = 100;

        IOException error = Assert.Throws<IOException>(() => stream.ReadByte());

        Assert.Equal("The peer sent nothing within 100 ms.", error.Message);
    }

    [Fact]
    public async Task The_peer_closing_is_the_end_of_the_stream()
    {
        using UnixSocketStream stream = UnixSocketStream.Connect(_path, SocketTuning.BufferSize);
        Socket peer = await _listener.AcceptAsync().WaitAsync(Safety);
        peer.Dispose();

        Assert.Equal(-1, stream.ReadByte());
    }

    [Fact]
    public async Task Disposing_ends_a_read_on_another_thread_instead_of_leaving_it_blocked()
    {
        var stream = UnixSocketStream.Connect(_path, SocketTuning.BufferSize);
        using Socket peer = await _listener.AcceptAsync().WaitAsync(Safety);
        using var reading = new ManualResetEventSlim();
        Task<int> read = Task.Factory.StartNew(() =>
        {
            reading.Set();
            return stream.ReadByte();
        }, TaskCreationOptions.LongRunning);
        reading.Wait(Safety);

        stream.Dispose();

        // A read already blocked sees the end of the stream; one that starts after the dispose is refused.
        Exception? failure = await Record.ExceptionAsync(async () => Assert.Equal(-1, await read.WaitAsync(Safety)));
        Assert.True(failure is null or ObjectDisposedException, $"The read ended with {failure}");
    }

    [Fact]
    public void Connecting_where_nobody_listens_fails_with_the_reason()
    {
        string missing = Path.Combine(_directory, "missing.sock");

        IOException error = Assert.Throws<IOException>(() => UnixSocketStream.Connect(missing, SocketTuning.BufferSize));

        Assert.StartsWith($"Could not connect to '{missing}':", error.Message, StringComparison.Ordinal);
        Assert.Contains("(errno 2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_too_long_for_a_Unix_socket_is_refused_before_any_system_call()
    {
        string tooLong = "/tmp/" + new string('x', 200) + ".sock";

        IOException error = Assert.Throws<IOException>(() => UnixSocketStream.Connect(tooLong, SocketTuning.BufferSize));

        Assert.Equal($"The socket path '{tooLong}' is 210 bytes long; a Unix socket path holds at most 107.", error.Message);
    }
}
