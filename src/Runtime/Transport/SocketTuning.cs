using System.Net.Sockets;

namespace ParallelDsl.Wire;

/// <summary>Socket options both ends of a worker channel use.</summary>
internal static class SocketTuning
{
    // Larger kernel buffers than the 208 KiB default mean fewer wake-ups per large frame; the kernel caps the
    // request at net.core.wmem_max / rmem_max.
    public const int BufferSize = 1024 * 1024;

    public static void Apply(Socket socket)
    {
        socket.SendBufferSize = BufferSize;
        socket.ReceiveBufferSize = BufferSize;
    }
}
