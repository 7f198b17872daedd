using System;
using System.Net.Sockets;
using System.Security.Authentication;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;

namespace ParallelDsl.Wire;

/// <summary>The worker's end of the handshake: connect to the parent's socket and answer its challenge.</summary>
internal static class WorkerConnector
{
    /// <summary>
    /// Connects and authenticates, blocking the calling thread; returns the connection on which tasks will arrive.
    /// The socket stays in blocking mode, so the worker's reads and writes are plain system calls; on Linux it is
    /// made with libc calls (<see cref="UnixSocketStream"/>) rather than System.Net.Sockets.
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
        Stream stream = OpenStream(socketPath);
        var connection = new FrameConnection(stream, maxBodyLength);
        try
        {
            stream.ReadTimeout = (int)Math.Clamp(handshakeTimeout.TotalMilliseconds, 1, int.MaxValue);

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
                ThrowRefused();
            }

            stream.ReadTimeout = Timeout.Infinite;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // Kept apart so that compiling Connect does not load the assembly of AuthenticationException.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowRefused() => throw new AuthenticationException("The parent process refused this worker's key.");

    /// <summary>A blocking stream connected to the parent's socket.</summary>
    private static Stream OpenStream(string socketPath) =>
        UnixSocketStream.IsSupported ? UnixSocketStream.Connect(socketPath, SocketTuning.BufferSize) : OpenNetworkStream(socketPath);

    // Kept apart so that only platforms without UnixSocketStream compile it and load System.Net.Sockets; its return
    // type is Stream because a NetworkStream in the signature would load that assembly when OpenStream is compiled.
    [MethodImpl(MethodImplOptions.NoInlining)]
#pragma warning disable CA1859
    private static Stream OpenNetworkStream(string socketPath)
#pragma warning restore CA1859
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            SocketTuning.Apply(socket);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
