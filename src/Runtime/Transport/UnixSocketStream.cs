using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Microsoft.Win32.SafeHandles;

namespace ParallelDsl.Wire;

/// <summary>
/// A blocking stream over a connected Unix domain socket, made with libc calls (Linux). A worker uses it for its
/// one connection instead of <c>System.Net.Sockets</c>: the first <c>Socket</c> of a process loads the networking
/// assemblies and initialises their event sources (which in turn load ICU), several times the cost of the three
/// system calls a blocking connection needs.
/// </summary>
internal sealed unsafe partial class UnixSocketStream : Stream
{
    private const int AddressFamilyUnix = 1;
    private const int SocketStream = 1;
    private const int SocketCloseOnExec = 0x80000;
    private const int SolSocket = 1;
    private const int SoSendBuffer = 7;
    private const int SoReceiveBuffer = 8;
    private const int SoReceiveTimeout = 20;
    private const int ShutdownBoth = 2;
    private const int MessageNoSignal = 0x4000;
    private const short PollReadHangUp = 0x2000;
    private const int EIntr = 4;
    private const int EAgain = 11;
    private const int MaxPathBytes = 107;

    private readonly Descriptor _socket;
    private int _readTimeout = Timeout.Infinite;

    private UnixSocketStream(Descriptor socket) => _socket = socket;

    /// <summary>Whether this platform can use the stream (Linux: its socket constants and address layout).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanTimeout => true;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Milliseconds a read waits for data before it fails with an <see cref="IOException"/>; <see cref="Timeout.Infinite"/> for no limit.</summary>
    public override int ReadTimeout
    {
        get => _readTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, Timeout.Infinite);
            ArgumentOutOfRangeException.ThrowIfZero(value);
            TimeValue limit = value == Timeout.Infinite ? default : new TimeValue { Seconds = value / 1000, Microseconds = value % 1000 * 1000 };
            ThrowIfFailed(SetSocketOption(_socket, SolSocket, SoReceiveTimeout, &limit, sizeof(TimeValue)), "set the receive timeout");
            _readTimeout = value;
        }
    }

    /// <summary>Connects to the listening socket at <paramref name="path"/>, with send and receive buffers of <paramref name="bufferSize"/> bytes.</summary>
    /// <exception cref="IOException">The socket could not be created or connected.</exception>
    public static UnixSocketStream Connect(string path, int bufferSize)
    {
        int length = Encoding.UTF8.GetByteCount(path);
        if (length > MaxPathBytes)
        {
            throw new IOException($"The socket path '{path}' is {length} bytes long; a Unix socket path holds at most {MaxPathBytes}.");
        }

        var socket = new Descriptor(CreateSocket(AddressFamilyUnix, SocketStream | SocketCloseOnExec, 0));
        try
        {
            ThrowIfFailed(socket.IsInvalid ? -1 : 0, "create a socket");
            SocketAddress address = default;
            address.Family = AddressFamilyUnix;
            Encoding.UTF8.GetBytes(path, new Span<byte>(address.Path, MaxPathBytes));
            ThrowIfFailed(ConnectSocket(socket, &address, sizeof(ushort) + length + 1), $"connect to '{path}'");
            ThrowIfFailed(SetSocketOption(socket, SolSocket, SoSendBuffer, &bufferSize, sizeof(int)), "set the send buffer");
            ThrowIfFailed(SetSocketOption(socket, SolSocket, SoReceiveBuffer, &bufferSize, sizeof(int)), "set the receive buffer");
            return new UnixSocketStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        fixed (byte* data = buffer)
        {
            while (true)
            {
                nint read = ReadSocket(_socket, data, (nuint)buffer.Length);
                if (read >= 0)
                {
                    return (int)read;
                }

                int error = Marshal.GetLastPInvokeError();
                if (error != EIntr)
                {
                    throw error == EAgain
                        ? new IOException($"The peer sent nothing within {_readTimeout} ms.")
                        : Failure(error, "read from the socket");
                }
            }
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* data = buffer)
        {
            int written = 0;
            while (written < buffer.Length)
            {
                nint sent = Send(_socket, data + written, (nuint)(buffer.Length - written), MessageNoSignal);
                if (sent >= 0)
                {
                    written += (int)sent;
                    continue;
                }

                int error = Marshal.GetLastPInvokeError();
                if (error != EIntr)
                {
                    throw Failure(error, "write to the socket");
                }
            }
        }
    }

    /// <summary>
    /// Blocks until the peer has closed its end of the connection (or this end was shut down, or the socket failed),
    /// without reading anything: data waiting in the socket stays there for <see cref="Read(Span{byte})"/>.
    /// </summary>
    public void WaitForHangUp()
    {
        bool added = false;
        _socket.DangerousAddRef(ref added);
        try
        {
            // POLLRDHUP alone: a frame arriving does not end the wait, the end of the stream does. The kernel always
            // adds POLLHUP and POLLERR, which end it too.
            var entry = new PollEntry { Descriptor = (int)_socket.DangerousGetHandle(), Events = PollReadHangUp };
            while (Poll(&entry, 1, -1) < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
            }
        }
        finally
        {
            if (added)
            {
                _socket.DangerousRelease();
            }
        }
    }

    /// <inheritdoc/>
    public override void Flush()
    {
        // Writes go straight to the kernel.
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_socket.IsClosed)
        {
            // Wakes a thread blocked in a read (it sees the end of the stream); the descriptor closes once no call uses it.
            _ = ShutdownSocket(_socket, ShutdownBoth);
            _socket.Dispose();
        }

        base.Dispose(disposing);
    }

    private static void ThrowIfFailed(int result, string action)
    {
        if (result < 0)
        {
            throw Failure(Marshal.GetLastPInvokeError(), action);
        }
    }

    private static IOException Failure(int error, string action) =>
        new($"Could not {action}: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}).");

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int CreateSocket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int ConnectSocket(Descriptor socket, SocketAddress* address, int length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSocketOption(Descriptor socket, int level, int name, void* value, int length);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadSocket(Descriptor socket, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint Send(Descriptor socket, byte* buffer, nuint count, int flags);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    private static partial int ShutdownSocket(Descriptor socket, int how);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollEntry* entries, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseDescriptor(nint descriptor);

    /// <summary>Linux <c>struct sockaddr_un</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct SocketAddress
    {
        public ushort Family;
        public fixed byte Path[MaxPathBytes + 1];
    }

    /// <summary><c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PollEntry
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    /// <summary>64-bit <c>struct timeval</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeValue
    {
        public long Seconds;
        public long Microseconds;
    }

    /// <summary>The socket's file descriptor, closed exactly once and never while a call still uses it.</summary>
    private sealed class Descriptor : SafeHandleMinusOneIsInvalid
    {
        public Descriptor(int descriptor)
            : base(ownsHandle: true) => SetHandle(descriptor);

        protected override bool ReleaseHandle() => CloseDescriptor(handle) == 0;
    }
}
