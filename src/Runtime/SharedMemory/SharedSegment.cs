using System;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using ParallelDsl.Roslyn;

namespace ParallelDsl;

/// <summary>What a segment must look like to be opened as a given shared object.</summary>
/// <param name="Kind">What the segment holds.</param>
/// <param name="ElementSize">The size of one element in bytes (zero for locks, events and semaphores).</param>
/// <param name="TypeHash">A stable hash of the element type's full name (zero when there is none).</param>
/// <param name="Length">The number of elements; for opening, a negative value accepts whatever length the segment has.</param>
/// <param name="Description">How error messages name the expected object, such as <c>SharedArray&lt;Int32&gt;</c>.</param>
internal readonly record struct SegmentShape(SegmentKind Kind, int ElementSize, ulong TypeHash, long Length, string Description)
{
    public static SegmentShape Of<T>(SegmentKind kind, long length)
        where T : unmanaged
    {
        string typeName = typeof(T).FullName ?? typeof(T).Name;
        string description = kind == SegmentKind.Array ? $"SharedArray<{typeof(T).Name}>" : $"Shared<{typeof(T).Name}>";
        return new SegmentShape(kind, Unsafe.SizeOf<T>(), StableId.Of(typeName), length, description);
    }

    public static SegmentShape Synchronization(SegmentKind kind, string description) => new(kind, 0, 0, 0, description);
}

/// <summary>
/// One shared-memory segment mapped into this process: a Linux anonymous memory file (<c>memfd_create</c>) with a
/// <see cref="SegmentHeader"/> followed by the data.
/// </summary>
/// <remarks>
/// <para>
/// No file is ever created in <c>/dev/shm</c> or anywhere else: the kernel frees the memory when the last process that
/// maps it unmaps it or dies, even after a SIGKILL. Another process of the same user opens the segment through
/// <c>/proc/{pid}/fd/{fd}</c> of any live process that holds it; that is what <see cref="HandleName"/> names. The
/// header carries the segment's random or name-derived id, so an fd number reused for something else is detected.
/// </para>
/// <para>
/// Plain data accesses only check that the segment is not disposed; blocking operations hold a use count
/// (<see cref="Enter"/>/<see cref="Exit"/>) so that a concurrent <see cref="Dispose"/> unmaps only once they return.
/// </para>
/// </remarks>
internal sealed unsafe class SharedSegment : IDisposable
{
    /// <summary>Where the data starts: the header rounded up to a few cache lines.</summary>
    public const int DataOffset = 256;

    private const string HandlePrefix = "pdsl-shm:";
    private const string MemfdPrefix = "pdsl.";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);

    private readonly int _fd;
    private readonly byte* _address;
    private readonly nuint _mappedBytes;
    private int _users = 1;
    private int _disposed;

    private SharedSegment(int fd, byte* address, nuint mappedBytes, string description)
    {
        _fd = fd;
        _address = address;
        _mappedBytes = mappedBytes;
        Description = description;
        HandleName = string.Create(CultureInfo.InvariantCulture, $"{HandlePrefix}{Environment.ProcessId}:{fd}:{Header->Id:x16}");
    }

    /// <summary>A name from which another process of the same user opens this segment while this process holds it.</summary>
    public string HandleName { get; }

    /// <summary>How error messages name the object this segment backs.</summary>
    public string Description { get; }

    public SegmentHeader* Header => (SegmentHeader*)_address;

    public byte* Data => _address + DataOffset;

    public long Length => Header->Length;

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Creates a segment of <paramref name="shape"/> with its header written and its mutex and condition variable
    /// initialised, zero-filled data, and the state still <see cref="SegmentHeader.StateCreating"/>: the caller writes
    /// the initial data, then calls <see cref="MarkReady"/>.
    /// </summary>
    /// <param name="shape">The kind, element size and length.</param>
    /// <param name="id">The id other processes check; random for anonymous objects, name-derived for shared values.</param>
    public static SharedSegment Create(SegmentShape shape, ulong id)
    {
        ThrowIfUnsupported();
        ArgumentOutOfRangeException.ThrowIfNegative(shape.Length);
        long dataBytes = checked(shape.Length * shape.ElementSize);
        long totalBytes = checked(DataOffset + dataBytes);

        int fd = LibC.MemfdCreate(MemfdName(id), LibC.MemfdCloseOnExec);
        if (fd < 0)
        {
            throw NativeFailure("create shared memory for", shape.Description);
        }

        try
        {
            if (LibC.FTruncate(fd, totalBytes) != 0)
            {
                throw NativeFailure($"reserve {totalBytes} bytes of shared memory for", shape.Description);
            }

            byte* address = Map(fd, (nuint)totalBytes, shape.Description);
            var header = (SegmentHeader*)address;
            header->Magic = SegmentHeader.ExpectedMagic;
            header->Version = SegmentHeader.CurrentVersion;
            header->Kind = shape.Kind;
            header->ElementSize = shape.ElementSize;
            header->Length = shape.Length;
            header->Id = id;
            header->TypeHash = shape.TypeHash;
            RobustMutex.Initialize(&header->Mutex);
            RobustMutex.InitializeCondition(&header->Condition);
            return new SharedSegment(fd, address, (nuint)totalBytes, shape.Description);
        }
        catch
        {
            _ = LibC.Close(fd);
            throw;
        }
    }

    /// <summary>Publishes the segment: from now on other processes that open it may use it.</summary>
    public void MarkReady() => Volatile.Write(ref Header->State, SegmentHeader.StateReady);

    /// <summary>Opens the segment another process named <paramref name="handleName"/>, checking that it has <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">The name is not a shared-memory handle name, or names a segment of another shape.</exception>
    /// <exception cref="InvalidOperationException">The segment can no longer be opened: its holder exited or disposed it.</exception>
    public static SharedSegment Open(string handleName, SegmentShape shape)
    {
        ThrowIfUnsupported();
        ArgumentNullException.ThrowIfNull(handleName);
        (int pid, int fd, ulong id) = ParseHandleName(handleName, shape.Description);
        return OpenFromProcess(pid, fd, id, shape, handleName, mayBeCreating: false);
    }

    /// <summary>
    /// Opens the segment with <paramref name="id"/> that process <paramref name="ownerPid"/> created, finding it among
    /// that process's open files by its memory-file name; <see langword="null"/> when the process holds no such segment.
    /// </summary>
    public static SharedSegment? TryOpenOwned(int ownerPid, ulong id, SegmentShape shape)
    {
        ThrowIfUnsupported();
        string expectedTarget = $"/memfd:{MemfdName(id)} (deleted)";
        string directory = string.Create(CultureInfo.InvariantCulture, $"/proc/{ownerPid}/fd");
        if (!Directory.Exists(directory))
        {
            return null;
        }

        foreach (string entry in Directory.EnumerateFileSystemEntries(directory))
        {
            string? target;
            try
            {
                target = new FileInfo(entry).LinkTarget;
            }
            catch (IOException)
            {
                continue;
            }

            if (target == expectedTarget && int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int fd))
            {
                return OpenFromProcess(ownerPid, fd, id, shape, entry, mayBeCreating: true);
            }
        }

        return null;
    }

    /// <summary>Marks the segment in use by a blocking operation, so that a concurrent dispose waits for it.</summary>
    /// <exception cref="ObjectDisposedException">The segment is disposed.</exception>
    public void Enter()
    {
        int users;
        do
        {
            users = Volatile.Read(ref _users);
            ObjectDisposedException.ThrowIf(users == 0 || IsDisposed, this);
        }
        while (Interlocked.CompareExchange(ref _users, users + 1, users) != users);
    }

    /// <summary>Like <see cref="Enter"/>, but says <see langword="false"/> instead of throwing when the segment is disposed.</summary>
    public bool TryEnter()
    {
        int users;
        do
        {
            users = Volatile.Read(ref _users);
            if (users == 0 || IsDisposed)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _users, users + 1, users) != users);
        return true;
    }

    /// <summary>Ends a use begun with <see cref="Enter"/> or <see cref="TryEnter"/>.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _users) == 0)
        {
            Unmap();
        }
    }

    public void ThrowIfDisposed()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
    }

    /// <summary>Unmaps the segment and closes this process's handle; the memory lives on while other processes map it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Exit();
        }
    }

    public override string ToString() => Description;

    internal static void ThrowIfUnsupported()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException(
                $"ParallelDsl shared memory, cross-process locks, events and semaphores need Linux (memfd_create, /proc and robust pthread mutexes); {RuntimeInformation.OSDescription} is not supported yet.");
        }
    }

    private static string MemfdName(ulong id) => string.Create(CultureInfo.InvariantCulture, $"{MemfdPrefix}{id:x16}");

    private static (int Pid, int Fd, ulong Id) ParseHandleName(string handleName, string description)
    {
        string[] parts = handleName.StartsWith(HandlePrefix, StringComparison.Ordinal)
            ? handleName[HandlePrefix.Length..].Split(':')
            : [];
        if (parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int fd)
            && ulong.TryParse(parts[2], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong id))
        {
            return (pid, fd, id);
        }

        throw new ArgumentException(
            $"'{handleName}' is not the handle name of a {description}: expected '{HandlePrefix}<pid>:<fd>:<id>', as HandleName returns it.",
            nameof(handleName));
    }

    // mayBeCreating: the segment was found by name, not through a handle name (which exists only once the segment is
    // complete), so its creator may still be sizing it or writing the header: wait for that rather than reject it.
    private static SharedSegment OpenFromProcess(int pid, int fd, ulong id, SegmentShape shape, string source, bool mayBeCreating)
    {
        string path = string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/fd/{fd}");
        int ownFd = LibC.Open(path, LibC.OpenReadWrite | LibC.OpenCloseOnExec);
        if (ownFd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException(
                $"Cannot open the {shape.Description} '{source}': process {pid} that shared it has exited or disposed it, or belongs to another user ({Marshal.GetPInvokeErrorMessage(errno)}). A shared object can be opened while a process that holds it is alive.");
        }

        try
        {
            long size = WaitForSize(ownFd, shape, source, mayBeCreating);
            byte* address = Map(ownFd, (nuint)size, shape.Description);
            try
            {
                var header = (SegmentHeader*)address;
                if (mayBeCreating && !WaitUntilSet(&header->Magic, SegmentHeader.ExpectedMagic))
                {
                    throw NotASegment(shape, source);
                }

                Validate(header, size, id, shape, source);
                return new SharedSegment(ownFd, address, (nuint)size, shape.Description);
            }
            catch
            {
                _ = LibC.MUnmap((nint)address, (nuint)size);
                throw;
            }
        }
        catch
        {
            _ = LibC.Close(ownFd);
            throw;
        }
    }

    private static long WaitForSize(int fd, SegmentShape shape, string source, bool mayBeCreating)
    {
        long deadline = Environment.TickCount64 + (long)ReadyTimeout.TotalMilliseconds;
        while (true)
        {
            long size = LibC.LSeek(fd, 0, LibC.SeekEnd);
            if (size >= DataOffset)
            {
                return size;
            }

            if (size < 0 || !mayBeCreating || Environment.TickCount64 > deadline)
            {
                throw NotASegment(shape, source);
            }

            Thread.Sleep(1);
        }
    }

    private static ArgumentException NotASegment(SegmentShape shape, string source) =>
        new($"'{source}' is not a {shape.Description}: it is not a ParallelDsl shared-memory segment.");

    /// <summary>Waits (bounded by the ready timeout) until another process has stored <paramref name="expected"/>.</summary>
    private static bool WaitUntilSet(uint* word, uint expected)
    {
        long deadline = Environment.TickCount64 + (long)ReadyTimeout.TotalMilliseconds;
        var spinner = default(SpinWait);
        while (Volatile.Read(ref *word) != expected)
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            spinner.SpinOnce();
        }

        return true;
    }

    private static void Validate(SegmentHeader* header, long size, ulong id, SegmentShape expected, string source)
    {
        if (header->Magic != SegmentHeader.ExpectedMagic)
        {
            throw NotASegment(expected, source);
        }

        if (header->Version != SegmentHeader.CurrentVersion)
        {
            throw new InvalidOperationException(
                $"'{source}' was created by another version of ParallelDsl (segment format {header->Version}, this process reads {SegmentHeader.CurrentVersion}); every process of a program run must use the same version.");
        }

        if (header->Id != id)
        {
            throw new InvalidOperationException($"The {expected.Description} '{source}' no longer exists: its holder disposed it and reused the handle for another object.");
        }

        if (header->Kind != expected.Kind || header->ElementSize != expected.ElementSize || header->TypeHash != expected.TypeHash)
        {
            throw new ArgumentException(
                $"'{source}' holds a {header->Kind} of {header->ElementSize}-byte elements, not a {expected.Description}; open it with the type it was created with.");
        }

        if (expected.Length >= 0 && header->Length != expected.Length)
        {
            throw new ArgumentException($"'{source}' is a {expected.Description} of length {header->Length}, not {expected.Length}.");
        }

        if (!WaitUntilSet((uint*)&header->State, SegmentHeader.StateReady))
        {
            throw new InvalidOperationException(
                $"The {expected.Description} '{source}' was never finished: the process that created it failed or exited while writing its initial value.");
        }

        if (DataOffset + (header->Length * header->ElementSize) > size)
        {
            throw new ArgumentException($"'{source}' is shorter than its header says; it is not a valid {expected.Description}.");
        }
    }

    private static byte* Map(int fd, nuint bytes, string description)
    {
        nint address = LibC.MMap(0, bytes, LibC.ProtRead | LibC.ProtWrite, LibC.MapShared, fd, 0);
        if (address == -1)
        {
            throw NativeFailure($"map {bytes} bytes of", description);
        }

        return (byte*)address;
    }

    private static InvalidOperationException NativeFailure(string action, string description)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new InvalidOperationException($"Could not {action} a {description}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
    }

    private void Unmap()
    {
        _ = LibC.MUnmap((nint)_address, _mappedBytes);
        _ = LibC.Close(_fd);
    }
}
