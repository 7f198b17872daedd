using System.Runtime.InteropServices;

namespace ParallelDsl;

// The calls that move a large frame through a memory file instead of the socket: passing a descriptor over a Unix
// socket (SCM_RIGHTS), sealing the file's size, and populating a mapping's pages in one call.
internal static unsafe partial class LibC
{
    public const uint MemfdAllowSealing = 2;
    public const int MapPopulate = 0x8000;
    public const int AdvisePopulateWrite = 23;
    public const int FcntlAddSeals = 1033;
    public const int FcntlGetSeals = 1034;
    public const int SealShrink = 2;
    public const int SealGrow = 4;
    public const int SolSocket = 1;
    public const int ScmRights = 1;
    public const int MessageNoSignal = 0x4000;
    public const int MessageControlTruncated = 8;
    public const int MessageCloseOnExec = 0x40000000;
    public const short PollIn = 0x1;
    public const short PollOut = 0x4;
    public const int EAgain = 11;

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary><c>struct msghdr</c> (64-bit Linux; musl's padding words are zero here).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public void* Name;
        public nuint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary><c>struct cmsghdr</c>: the header in front of the descriptors of an SCM_RIGHTS message.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ControlHeader
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    /// <summary><c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport(Library, EntryPoint = "sendmsg", SetLastError = true)]
    public static partial nint SendMessage(int socket, MessageHeader* message, int flags);

    [LibraryImport(Library, EntryPoint = "recvmsg", SetLastError = true)]
    public static partial nint ReceiveMessage(int socket, MessageHeader* message, int flags);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "madvise", SetLastError = true)]
    public static partial int MAdvise(nint address, nuint length, int advice);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);
}
