using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace ParallelDsl.Wire;

/// <summary>
/// Large frames through a memory file instead of the socket. A frame whose body is larger than <see cref="Threshold"/>
/// is built in a memfd (see <see cref="FrameSpillWriter"/>) and travels as a <see cref="FrameKind.Spill"/> frame: the
/// usual header, then an 8-byte descriptor body (the frame's own kind, three zero bytes, its body length as uint32)
/// that carries the memfd's file descriptor (SCM_RIGHTS). The receiver maps the file read-only and decodes from the
/// mapping; the bytes cross from one process to the other without a copy.
/// </summary>
/// <remarks>
/// The descriptor goes over the socket rather than as a <c>/proc/{pid}/fd/{n}</c> path: the kernel gives the receiver
/// its own reference to the file, so the sender closes its copy right away, nothing is left to clean up when either
/// side dies, and no window exists in which the sender has exited and the path has gone.
/// </remarks>
internal static class FrameSpill
{
    /// <summary>Frame bodies larger than this many bytes (1 MiB) go through a memory file.</summary>
    public const int Threshold = 1024 * 1024;

    /// <summary>The length of a Spill frame's body.</summary>
    public const int DescriptorSize = 8;

    private static long s_received;

    /// <summary>How many spilled frames this process has received (for tests and diagnostics).</summary>
    public static long ReceivedCount => Interlocked.Read(ref s_received);

    /// <summary>Whether the frame <paramref name="writer"/> holds goes through its memory file rather than the socket.</summary>
    public static bool Spills(FrameSpillWriter writer) =>
        writer.IsSpilled && writer.WrittenCount - FrameHeader.Size > Threshold;

    /// <summary>Sends the frame in <paramref name="writer"/>'s memory file (see <see cref="Spills"/>): a Spill frame carrying its descriptor.</summary>
    /// <exception cref="IOException">The socket or the memory file failed.</exception>
    public static void Send(Stream stream, SafeHandle socket, FrameKind kind, FrameSpillWriter writer)
    {
        int bodyLength = writer.WrittenCount - FrameHeader.Size;
        int fd = writer.Seal();
        Span<byte> header = stackalloc byte[FrameHeader.Size];
        FrameHeader.Write(header, DescriptorSize, FrameKind.Spill);
        Span<byte> descriptor = stackalloc byte[DescriptorSize];
        WriteDescriptor(descriptor, kind, bodyLength);

        // The header as plain bytes and the descriptor in its own message: the receiver reads the header with an
        // ordinary read, which must not reach the bytes the file descriptor is attached to.
        stream.Write(header);
        DescriptorPassing.Send(socket, descriptor, fd);
    }

    /// <summary>Receives the descriptor of a Spill frame whose header was read, maps the memory file and returns the frame it holds.</summary>
    /// <exception cref="ProtocolException">The descriptor is malformed, names a frame that is too large, or its file does not hold it.</exception>
    /// <exception cref="IOException">The socket failed or the file could not be mapped.</exception>
    public static unsafe Frame Receive(SafeHandle? socket, FrameHeader header, int maxBodyLength)
    {
        if (socket is null)
        {
            throw new ProtocolException("The peer sent a spilled frame over a connection that cannot carry file descriptors.");
        }

        if (header.BodyLength != DescriptorSize)
        {
            // Checked before anything is read: the bytes of a longer body would be taken for the next frame.
            throw WrongDescriptorSize(header.BodyLength);
        }

        Span<byte> descriptor = stackalloc byte[DescriptorSize];
        int fd = DescriptorPassing.Receive(socket, descriptor);
        try
        {
            (FrameKind kind, int length) = ReadDescriptor(descriptor, maxBodyLength);
            long mappedBytes = FrameHeader.Size + (long)length;
            long fileBytes = LibC.LSeek(fd, 0, LibC.SeekEnd);
            int seals = LibC.Fcntl(fd, LibC.FcntlGetSeals, 0);
            if (fileBytes < mappedBytes || seals < 0 || (seals & LibC.SealShrink) == 0)
            {
                throw new ProtocolException(string.Create(CultureInfo.InvariantCulture,
                    $"Spilled {kind} frame of {length} bytes arrived in a memory file of {fileBytes} bytes that is not sealed against shrinking; it cannot be mapped safely."));
            }

            nint mapping = LibC.MMap(0, (nuint)mappedBytes, LibC.ProtRead, LibC.MapShared | LibC.MapPopulate, fd, 0);
            if (mapping == -1)
            {
                int error = Marshal.GetLastPInvokeError();
                throw new IOException(string.Create(CultureInfo.InvariantCulture,
                    $"Could not map a spilled {kind} frame of {length} bytes: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})."));
            }

            Interlocked.Increment(ref s_received);
            return new Frame(kind, new MappedMemory(mapping, (nuint)mappedBytes, FrameHeader.Size, length));
        }
        finally
        {
            // The mapping keeps the file alive; the descriptor is not needed any more.
            _ = LibC.Close(fd);
        }
    }

    /// <summary>Writes the body of a Spill frame for a <paramref name="kind"/> frame of <paramref name="bodyLength"/> bytes.</summary>
    public static void WriteDescriptor(Span<byte> destination, FrameKind kind, int bodyLength)
    {
        destination[..DescriptorSize].Clear();
        destination[0] = (byte)kind;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], checked((uint)bodyLength));
    }

    /// <summary>Reads and checks the body of a Spill frame: the kind and length of the frame in the memory file.</summary>
    /// <exception cref="ProtocolException">The body is not a valid descriptor, or names a frame larger than <paramref name="maxBodyLength"/>.</exception>
    public static (FrameKind Kind, int Length) ReadDescriptor(ReadOnlySpan<byte> body, int maxBodyLength)
    {
        if (body.Length != DescriptorSize)
        {
            throw WrongDescriptorSize(body.Length);
        }

        var kind = (FrameKind)body[0];
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
        if (kind is not (FrameKind.Task or FrameKind.Result) || body[1] != 0 || body[2] != 0 || body[3] != 0)
        {
            throw new ProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"Malformed Spill frame: kind {body[0]} with reserved bytes {body[1]} {body[2]} {body[3]}; only Task and Result frames spill."));
        }

        if (length > (uint)maxBodyLength)
        {
            throw new ProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"Spilled {kind} frame of {length} bytes exceeds the maximum frame length of {maxBodyLength} bytes (ProcessSettings.MaxFrameLength)."));
        }

        return (kind, (int)length);
    }

    private static ProtocolException WrongDescriptorSize(int length) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Malformed Spill frame: a body of {length} bytes where its descriptor has {DescriptorSize}."));
}
