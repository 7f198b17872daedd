using System.Runtime.InteropServices;

namespace ParallelDsl;

/// <summary>
/// The few libc calls the shared-memory layer needs on Linux: anonymous memory files, mapping, and the process-shared
/// robust pthread mutex and condition variable that live inside a segment's header.
/// </summary>
/// <remarks>The constants are those of the Linux ABI on x86-64 and AArch64, the same for glibc and musl.</remarks>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const int ProtRead = 1;
    public const int ProtWrite = 2;
    public const int MapShared = 1;
    public const int OpenReadWrite = 2;
    public const int OpenCloseOnExec = 0x80000;
    public const uint MemfdCloseOnExec = 1;
    public const int SeekEnd = 2;

    public const int EIntr = 4;
    public const int EPerm = 1;
    public const int ETimedOut = 110;
    public const int EOwnerDead = 130;
    public const int ENotRecoverable = 131;

    public const int MutexRecursive = 1;
    public const int ProcessShared = 1;
    public const int MutexRobust = 1;

    /// <summary>An absolute <c>CLOCK_REALTIME</c> time, as the pthread timed waits take it (64-bit <c>struct timespec</c>).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport(Library, EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MemfdCreate(string name, uint flags);

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int FTruncate(int fd, long length);

    [LibraryImport(Library, EntryPoint = "lseek", SetLastError = true)]
    public static partial long LSeek(int fd, long offset, int whence);

    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint MMap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    public static partial int MUnmap(nint address, nuint length);

    [LibraryImport(Library, EntryPoint = "pthread_mutexattr_init")]
    public static partial int MutexAttrInit(byte* attributes);

    [LibraryImport(Library, EntryPoint = "pthread_mutexattr_settype")]
    public static partial int MutexAttrSetType(byte* attributes, int type);

    [LibraryImport(Library, EntryPoint = "pthread_mutexattr_setpshared")]
    public static partial int MutexAttrSetProcessShared(byte* attributes, int shared);

    [LibraryImport(Library, EntryPoint = "pthread_mutexattr_setrobust")]
    public static partial int MutexAttrSetRobust(byte* attributes, int robust);

    [LibraryImport(Library, EntryPoint = "pthread_mutexattr_destroy")]
    public static partial int MutexAttrDestroy(byte* attributes);

    [LibraryImport(Library, EntryPoint = "pthread_mutex_init")]
    public static partial int MutexInit(byte* mutex, byte* attributes);

    [LibraryImport(Library, EntryPoint = "pthread_mutex_lock")]
    public static partial int MutexLock(byte* mutex);

    [LibraryImport(Library, EntryPoint = "pthread_mutex_timedlock")]
    public static partial int MutexTimedLock(byte* mutex, TimeSpec* deadline);

    [LibraryImport(Library, EntryPoint = "pthread_mutex_unlock")]
    public static partial int MutexUnlock(byte* mutex);

    [LibraryImport(Library, EntryPoint = "pthread_mutex_consistent")]
    public static partial int MutexConsistent(byte* mutex);

    [LibraryImport(Library, EntryPoint = "pthread_condattr_init")]
    public static partial int CondAttrInit(byte* attributes);

    [LibraryImport(Library, EntryPoint = "pthread_condattr_setpshared")]
    public static partial int CondAttrSetProcessShared(byte* attributes, int shared);

    [LibraryImport(Library, EntryPoint = "pthread_condattr_destroy")]
    public static partial int CondAttrDestroy(byte* attributes);

    [LibraryImport(Library, EntryPoint = "pthread_cond_init")]
    public static partial int CondInit(byte* condition, byte* attributes);

    [LibraryImport(Library, EntryPoint = "pthread_cond_timedwait")]
    public static partial int CondTimedWait(byte* condition, byte* mutex, TimeSpec* deadline);

    [LibraryImport(Library, EntryPoint = "pthread_cond_broadcast")]
    public static partial int CondBroadcast(byte* condition);
}
