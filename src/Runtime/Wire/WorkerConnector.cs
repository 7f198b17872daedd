using System;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl.Wire;

/// <summary>The worker's end of the handshake: connect to the parent's socket and answer its challenge.</summary>
internal static class WorkerConnector
{
    /// <summary>Connects and authenticates; returns the connection on which tasks will arrive.</summary>
    /// <exception cref="AuthenticationException">The parent refused the key.</exception>
    /// <exception cref="ProtocolException">The parent's frames were invalid.</exception>
    public static async Task<FrameConnection> ConnectAsync(string socketPath, byte[] key, byte[] token, int maxBodyLength, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        FrameConnection? connection = null;
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            connection = new FrameConnection(new NetworkStream(socket, ownsSocket: true), maxBodyLength);

            byte[] mac = new byte[WorkerAuthentication.MacLength];
            using (Frame challenge = await connection.ReceiveExpectedAsync(FrameKind.Challenge, cancellationToken).ConfigureAwait(false))
            {
                WireReader reader = challenge.CreateReader();
                ReadOnlySpan<byte> nonce = reader.ReadBytes(WorkerAuthentication.NonceLength);
                reader.EnsureEnd();
                WorkerAuthentication.ComputeMac(key, nonce, token, mac);
            }

            var answer = connection.Begin(FrameKind.Authenticate);
            WireWriter.WriteInt32(answer, Environment.ProcessId);
            WireWriter.WriteBytes(answer, mac);
            await connection.SendAsync(cancellationToken).ConfigureAwait(false);

            using Frame? verdict = await connection.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (verdict?.Kind != FrameKind.Accepted)
            {
                throw new AuthenticationException("The parent process refused this worker's key.");
            }

            return connection;
        }
        catch
        {
            if (connection is null)
            {
                socket.Dispose();
            }
            else
            {
                connection.Dispose();
            }

            throw;
        }
    }
}
