using System.Runtime.InteropServices;

namespace ParallelDsl.Wire;

internal sealed partial class UnixSocketStream
{
    /// <summary>The socket, for a caller that passes file descriptors over it (see <see cref="DescriptorPassing"/>).</summary>
    public SafeHandle SocketHandle => _socket;
}
