using System;
using System.Net.Sockets;
using System.Security.Authentication;
using System.IO;

namespace ParallelDsl.Wire;

/// <summary>The worker's end of the handshake: connect to the parent's socket and answer its challenge.</summary>
internal static class WorkerConnector
{
    /// <summary>
    /// Connects and authenticates, blocking the calling thread; returns the connection on which tasks will arrive.
    /// The socket stays in blocking mode, so the worker's reads and writes are plain system calls.
    /// </summary>
    /// <param name="socketPath">The parent's socket.</param>
    /// <param name="key">The worker's key.</param>
    /// <param name="token">The worker's token.</param>
    /// <param name="maxBodyLength">The frame limit.</param>
    /// <param name="handshakeTimeout">How long to wait for each of the parent's handshake frames.</param>
    /// <exception cref="AuthenticationException">The parent refused the key.</exception>
    /// <exception cref="ProtocolException">The parent's frames were invalid.</exception>
    /// <exception cref="IOException">The parent could not be reached or did not answer in time.</exception>
    public static FrameConnection Connect(string socketPath, byte[] key, byte[] token, int maxBodyLength, TimeSpan handshakeTimeout)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        FrameConnection? connection = null;
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            SocketTuning.Apply(socket);
            socket.ReceiveTimeout = (int)Math.Min(handshakeTimeout.TotalMilliseconds, int.MaxValue);
            connection = new FrameConnection(new NetworkStream(socket, ownsSocket: true), maxBodyLength);

            byte[] mac = new byte[WorkerAuthentication.MacLength];
            using (Frame challenge = connection.ReceiveExpected(FrameKind.Challenge))
            {
                FrameReader reader = challenge.CreateReader();
                ReadOnlySpan<byte> nonce = reader.ReadBytes(WorkerAuthentication.NonceLength);
                reader.EnsureEnd();
                WorkerAuthentication.ComputeMac(key, nonce, token, mac);
            }

            var answer = connection.Begin(FrameKind.Authenticate);
            FrameWriter.WriteInt32(answer, Environment.ProcessId);
            FrameWriter.WriteBytes(answer, mac);
            connection.Send();

            using Frame? verdict = connection.Receive();
            if (verdict?.Kind != FrameKind.Accepted)
            {
                throw new AuthenticationException("The parent process refused this worker's key.");
            }

            socket.ReceiveTimeout = 0;
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
