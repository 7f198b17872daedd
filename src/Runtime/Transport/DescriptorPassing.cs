using System;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace ParallelDsl.Wire;

/// <summary>
/// Sends and receives bytes that carry one file descriptor (SCM_RIGHTS) over a connected Unix stream socket, blocking.
/// The kernel hands the receiver its own descriptor for the same open file, so the sender may close its copy at
/// once, and a sender that dies after sending loses nothing.
/// </summary>
internal static unsafe class DescriptorPassing
{
    // Room for a few descriptors, so that a peer sending more than one is caught (and every one of them closed)
    // instead of having the extras cut off by the kernel.
    private const int ControlCapacity = 64;
    private const int WaitForDataMilliseconds = 30_000;

    /// <summary>The socket under <paramref name="stream"/> when it is a Unix socket on Linux; otherwise <see langword="null"/>.</summary>
    public static SafeHandle? SocketOf(Stream stream)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        return stream is UnixSocketStream unix ? unix.SocketHandle : NetworkSocketOf(stream);
    }

    /// <summary>Sends <paramref name="data"/> with <paramref name="descriptor"/> attached to its first byte.</summary>
    /// <exception cref="IOException">The socket failed or the peer is gone.</exception>
    public static void Send(SafeHandle socket, ReadOnlySpan<byte> data, int descriptor)
    {
        using var lease = new SocketLease(socket);
        byte* control = stackalloc byte[ControlCapacity];
        new Span<byte>(control, ControlCapacity).Clear();
        var header = (LibC.ControlHeader*)control;
        header->Length = (nuint)(sizeof(LibC.ControlHeader) + sizeof(int));
        header->Level = LibC.SolSocket;
        header->Type = LibC.ScmRights;
        *(int*)(control + sizeof(LibC.ControlHeader)) = descriptor;
        nuint controlLength = (nuint)(sizeof(LibC.ControlHeader) + sizeof(long));

        fixed (byte* bytes = data)
        {
            int sent = 0;
            while (sent < data.Length)
            {
                var vector = new LibC.IoVector { Base = bytes + sent, Length = (nuint)(data.Length - sent) };
                var message = new LibC.MessageHeader { Vectors = &vector, VectorCount = 1 };
                if (sent == 0)
                {
                    message.Control = control;
                    message.ControlLength = controlLength;
                }

                nint result = LibC.SendMessage(lease.Descriptor, &message, LibC.MessageNoSignal);
                if (result >= 0)
                {
                    sent += (int)result;
                    continue;
                }

                int error = Marshal.GetLastPInvokeError();
                if (error == LibC.EAgain)
                {
                    WaitFor(lease.Descriptor, LibC.PollOut, Timeout.Infinite);
                }
                else if (error != LibC.EIntr)
                {
                    throw Failure(error, "send a descriptor over the socket");
                }
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="data"/> from the socket and returns the one descriptor that came with it (close-on-exec,
    /// owned by the caller).
    /// </summary>
    /// <exception cref="ProtocolException">The stream ended early, or not exactly one descriptor came with the bytes.</exception>
    /// <exception cref="IOException">The socket failed, or the bytes did not come within 30 s.</exception>
    public static int Receive(SafeHandle socket, Span<byte> data)
    {
        using var lease = new SocketLease(socket);
        byte* control = stackalloc byte[ControlCapacity];
        int descriptor = -1;
        bool extra = false;
        try
        {
            fixed (byte* bytes = data)
            {
                int received = 0;
                while (received < data.Length)
                {
                    var vector = new LibC.IoVector { Base = bytes + received, Length = (nuint)(data.Length - received) };
                    var message = new LibC.MessageHeader { Vectors = &vector, VectorCount = 1, Control = control, ControlLength = ControlCapacity };
                    nint result = LibC.ReceiveMessage(lease.Descriptor, &message, LibC.MessageCloseOnExec);
                    if (result < 0)
                    {
                        int error = Marshal.GetLastPInvokeError();
                        if (error == LibC.EAgain)
                        {
                            WaitFor(lease.Descriptor, LibC.PollIn, WaitForDataMilliseconds);
                        }
                        else if (error != LibC.EIntr)
                        {
                            throw Failure(error, "receive a descriptor from the socket");
                        }

                        continue;
                    }

                    if (result == 0)
                    {
                        throw new ProtocolException(string.Create(CultureInfo.InvariantCulture,
                            $"The peer closed the connection in the middle of a spilled frame's descriptor ({received} of {data.Length} bytes)."));
                    }

                    extra |= (message.Flags & LibC.MessageControlTruncated) != 0;
                    Collect(control, (int)message.ControlLength, ref descriptor, ref extra);
                    received += (int)result;
                }
            }

            if (extra || descriptor < 0)
            {
                throw new ProtocolException(extra
                    ? "A spilled frame's descriptor came with more than one file descriptor."
                    : "A spilled frame's descriptor came without its memory file.");
            }

            return descriptor;
        }
        catch
        {
            if (descriptor >= 0)
            {
                LibC.Close(descriptor);
            }

            throw;
        }
    }

    /// <summary>Takes the descriptors out of a received control buffer: the first one kept, any further ones closed and noted.</summary>
    private static void Collect(byte* control, int length, ref int descriptor, ref bool extra)
    {
        int offset = 0;
        while (length - offset >= sizeof(LibC.ControlHeader))
        {
            var header = (LibC.ControlHeader*)(control + offset);
            int messageLength = (int)header->Length;
            if (messageLength < sizeof(LibC.ControlHeader) || messageLength > length - offset)
            {
                return;
            }

            if (header->Level == LibC.SolSocket && header->Type == LibC.ScmRights)
            {
                int count = (messageLength - sizeof(LibC.ControlHeader)) / sizeof(int);
                int* descriptors = (int*)(control + offset + sizeof(LibC.ControlHeader));
                for (int i = 0; i < count; i++)
                {
                    if (descriptor < 0)
                    {
                        descriptor = descriptors[i];
                    }
                    else
                    {
                        LibC.Close(descriptors[i]);
                        extra = true;
                    }
                }
            }

            offset += (messageLength + 7) & ~7;
        }
    }

    private static void WaitFor(int socket, short events, int timeoutMilliseconds)
    {
        var entry = new LibC.PollDescriptor { Descriptor = socket, Events = events };
        while (true)
        {
            int ready = LibC.Poll(&entry, 1, timeoutMilliseconds);
            if (ready > 0)
            {
                return;
            }

            if (ready == 0)
            {
                throw new IOException(string.Create(CultureInfo.InvariantCulture,
                    $"The peer sent no spilled frame descriptor within {timeoutMilliseconds} ms of its header."));
            }

            int error = Marshal.GetLastPInvokeError();
            if (error != LibC.EIntr)
            {
                throw Failure(error, "wait for the socket");
            }
        }
    }

    private static IOException Failure(int error, string action) =>
        new($"Could not {action}: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}).");

    // Kept apart, and typed SafeHandle, so that a worker, whose stream is a UnixSocketStream, never loads the
    // networking assembly: compiling the caller would resolve a SafeSocketHandle in this signature.
    [MethodImpl(MethodImplOptions.NoInlining)]
#pragma warning disable CA1859
    private static SafeHandle? NetworkSocketOf(Stream stream) =>
        stream is NetworkStream { Socket: { AddressFamily: AddressFamily.Unix } socket } ? socket.SafeHandle : null;
#pragma warning restore CA1859

    /// <summary>Holds a reference on the socket handle while a call uses its raw descriptor.</summary>
    private ref struct SocketLease
    {
        private readonly SafeHandle _handle;
        private bool _added;

        public SocketLease(SafeHandle handle)
        {
            _handle = handle;
            _handle.DangerousAddRef(ref _added);
            Descriptor = (int)_handle.DangerousGetHandle();
        }

        public int Descriptor { get; }

        public void Dispose()
        {
            if (_added)
            {
                _added = false;
                _handle.DangerousRelease();
            }
        }
    }
}
