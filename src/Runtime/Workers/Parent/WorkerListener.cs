using System;
using System.IO;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl.Wire;

/// <summary>
/// The parent's end of a worker's private socket: accepts connections, challenges each one and hands back the
/// first that proves it holds the worker's key. Peers that fail are refused and dropped; accepting goes on.
/// </summary>
internal sealed class WorkerListener : IDisposable
{
    // A peer that connects and then stays silent must not keep the real worker waiting for long.
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly byte[] _key;
    private readonly byte[] _token;
    private readonly int _maxBodyLength;
    private int _refusedConnections;

    private WorkerListener(Socket socket, string path, byte[] key, byte[] token, int maxBodyLength)
    {
        _socket = socket;
        SocketPath = path;
        _key = key;
        _token = token;
        _maxBodyLength = maxBodyLength;
    }

    /// <summary>The socket file's path.</summary>
    public string SocketPath { get; }

    /// <summary>How many peers were refused so far (wrong key, garbage, silence).</summary>
    public int RefusedConnections => Volatile.Read(ref _refusedConnections);

    /// <summary>Why the last peer was refused, for error messages.</summary>
    public Exception? LastRefusal { get; private set; }

    /// <summary>Creates the socket file at <paramref name="path"/> and starts listening.</summary>
    public static WorkerListener Bind(string path, byte[] key, byte[] token, int maxBodyLength)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            socket.Listen(4);
            return new WorkerListener(socket, path, key, token, maxBodyLength);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Waits for a peer that authenticates and returns the connection to it, with the pid it reported.</summary>
    /// <remarks>
    /// The handshake is made with blocking calls, so that the accepted socket stays a blocking one: a thread that
    /// later waits on it in a read is woken by the kernel itself, not through the runtime's socket event thread.
    /// </remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public async Task<(FrameConnection Connection, int WorkerPid)> AcceptAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Socket peer = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            SocketTuning.Apply(peer);
            var connection = new FrameConnection(new NetworkStream(peer, ownsSocket: true), _maxBodyLength);
            try
            {
                using (cancellationToken.UnsafeRegister(static socket => ((Socket)socket!).Dispose(), peer))
                {
                    peer.ReceiveTimeout = (int)HandshakeTimeout.TotalMilliseconds;
                    int pid = Handshake(connection);
                    peer.ReceiveTimeout = 0;
                    return (connection, pid);
                }
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                connection.Dispose();
                throw new OperationCanceledException(cancellationToken);
            }
            catch (Exception exception) when (exception is ProtocolException or AuthenticationException or IOException)
            {
                LastRefusal = exception;
                Interlocked.Increment(ref _refusedConnections);
                connection.Dispose();
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _socket.Dispose();
        try
        {
            File.Delete(SocketPath);
        }
        catch (IOException)
        {
            // The directory is removed at exit anyway.
        }
    }

    private int Handshake(FrameConnection connection)
    {
        byte[] nonce = WorkerAuthentication.CreateNonce();
        FrameWriter.WriteBytes(connection.Begin(FrameKind.Challenge), nonce);
        connection.Send();

        int pid;
        bool verified;
        using (Frame answer = connection.ReceiveExpected(FrameKind.Authenticate))
        {
            FrameReader reader = answer.CreateReader();
            pid = reader.ReadInt32();
            ReadOnlySpan<byte> mac = reader.ReadBytes(WorkerAuthentication.MacLength);
            reader.EnsureEnd();
            verified = WorkerAuthentication.Verify(_key, nonce, _token, mac);
        }

        if (!verified)
        {
            connection.Begin(FrameKind.Refused);
            connection.Send();
            throw new AuthenticationException($"A peer claiming to be pid {pid} answered the challenge with a wrong key.");
        }

        connection.Begin(FrameKind.Accepted);
        connection.Send();
        return pid;
    }
}
