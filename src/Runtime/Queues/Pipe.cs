using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>Creates duplex pipes: two connected ends, like Python's <c>multiprocessing.Pipe()</c>.</summary>
public static class Pipe
{
    /// <summary>The ring size of each direction of a pipe created without one: 4 MiB.</summary>
    public const int DefaultCapacityBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Creates a pipe: what one end sends, the other receives, in order, in both directions. Keep one end and pass the
    /// other to a <see cref="RunInProcessAttribute"/> method (or open it in another process from its handle name).
    /// </summary>
    /// <typeparam name="T">
    /// The message type: an unmanaged value, a <see cref="string"/> or a <c>byte[]</c> (of any length: a long message
    /// travels through the ring in chunks), or any other type a <see cref="RunInProcessAttribute"/> argument can be,
    /// written with the same generated codec (a type with no codec is a compile-time error, PDSL0014).
    /// </typeparam>
    /// <param name="capacityBytes">The ring size of each direction, rounded up to a power of two.</param>
    /// <returns>The two ends; dispose each (closing an end is the end of the stream at the other).</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> cannot be a message.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacityBytes"/> is out of range.</exception>
    /// <exception cref="PlatformNotSupportedException">The operating system is not Linux.</exception>
    public static (PipeEnd<T> First, PipeEnd<T> Second) Create<T>(int capacityBytes = DefaultCapacityBytes) =>
        PipeEnd<T>.CreatePair(capacityBytes);
}

/// <summary>
/// One end of a duplex pipe made by <see cref="Pipe.Create{T}(int)"/>: it sends to the other end and receives what the
/// other end sends. Each direction is a ring in shared memory; several threads of the holding process may use an end.
/// </summary>
/// <typeparam name="T">The message type: an unmanaged value, a <see cref="string"/>, a <c>byte[]</c>, or any type with a generated codec.</typeparam>
/// <remarks>
/// <para>
/// End of stream: when the other end is disposed in every process that held it, or every such process has exited (even
/// killed), <c>Receive</c> returns what was already sent and then throws <see cref="EndOfStreamException"/>
/// (<c>TryReceive</c> returns <see langword="false"/> and <see cref="IsPeerClosed"/> is <see langword="true"/>), and
/// <c>Send</c> throws <see cref="IOException"/>, like Python's <c>EOFError</c> and <c>BrokenPipeError</c> (to a peer
/// that died without disposing its end, once the ring is full, as an OS pipe accepts writes into its buffer). A waiting call
/// notices a dead peer within 50 ms. Holders are known by process id: at most 8 processes hold one end at once.
/// </para>
/// <para>
/// Hand an end to a child before disposing the parent's copy of it: the child opens it from the parent's handle,
/// which only exists while the parent holds the end.
/// </para>
/// </remarks>
[SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Implements ICrossProcessHandle<TSelf>.OpenHandle, which generated codecs call as T.OpenHandle(name).")]
public sealed unsafe class PipeEnd<T> : IDisposable, ICrossProcessHandle<PipeEnd<T>>
{
    private const string HandlePrefix = "pdsl-pipe:";
    private static readonly string Description = $"pipe of {MessageCodec<T>.TypeName}";

    private readonly SharedSegment _segment;
    private readonly int _side;
    private readonly SharedRing _outgoing;
    private readonly SharedRing _incoming;
    private readonly PeerGone _peerGone;
    private int _disposed;

    private PipeEnd(SharedSegment segment, int side)
    {
        _segment = segment;
        _side = side;
        long ringBytes = segment.Length / 2;
        _outgoing = new SharedRing(segment, side == 0 ? 0 : ringBytes);
        _incoming = new SharedRing(segment, side == 0 ? ringBytes : 0);
        _peerGone = IsPeerGone;
        Register(_outgoing.Control);
    }

    /// <summary>The name another process of the run opens this end with (see <see cref="OpenHandle(string)"/>).</summary>
    /// <exception cref="ObjectDisposedException">The end is disposed.</exception>
    public string HandleName
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return string.Create(CultureInfo.InvariantCulture, $"{HandlePrefix}{_side}:{_segment.HandleName}");
        }
    }

    /// <summary>Whether this end has been disposed in this process.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Whether the other end is closed: disposed in every process that held it, or all of them exited. Messages it sent
    /// before may still wait to be received.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The end is disposed.</exception>
    public bool IsPeerClosed
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return IsPeerGone(checkLiveness: true);
        }
    }

    /// <summary>Opens in this process the pipe end another process of the run shared as <paramref name="handleName"/>.</summary>
    /// <param name="handleName">The <see cref="HandleName"/> of the original end.</param>
    /// <returns>A new object for the same end; dispose it when done.</returns>
    /// <exception cref="ArgumentException">The name is not that of a pipe end of <typeparamref name="T"/>.</exception>
    /// <exception cref="InvalidOperationException">No live process holds the pipe any more, or 8 processes already hold the end.</exception>
    public static PipeEnd<T> OpenHandle(string handleName)
    {
        ArgumentNullException.ThrowIfNull(handleName);
        MessageCodec<T>.ThrowIfUnsupported(nameof(PipeEnd<T>));
        string rest = handleName.StartsWith(HandlePrefix, StringComparison.Ordinal) ? handleName[HandlePrefix.Length..] : string.Empty;
        if (rest.Length < 2 || rest[1] != ':' || rest[0] is not ('0' or '1'))
        {
            throw new ArgumentException(
                $"'{handleName}' is not the handle name of a pipe end: expected '{HandlePrefix}<0|1>:<segment>', as HandleName returns it.", nameof(handleName));
        }

        SharedSegment segment = SharedSegment.Open(rest[2..], Shape(-1));
        try
        {
            return new PipeEnd<T>(segment, rest[0] - '0');
        }
        catch
        {
            segment.Dispose();
            throw;
        }
    }

    /// <summary>Sends a message, waiting as long as the other end's ring is full.</summary>
    /// <param name="message">The message; a string or byte[] must not be null.</param>
    /// <exception cref="IOException">The other end is closed.</exception>
    /// <exception cref="ObjectDisposedException">This end is disposed.</exception>
    public void Send(T message) => Send(message, CancellationToken.None);

    /// <summary>Sends a message, waiting while the ring is full until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="message">The message; a string or byte[] must not be null.</param>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms. A message larger than a quarter of the ring that has started is finished first.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled before the message started.</exception>
    /// <exception cref="IOException">The other end is closed.</exception>
    /// <exception cref="ObjectDisposedException">This end is disposed.</exception>
    public void Send(T message, CancellationToken cancellationToken) => _ = TrySend(message, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Sends a message, waiting at most <paramref name="timeout"/> for room.</summary>
    /// <param name="message">The message; a string or byte[] must not be null.</param>
    /// <param name="timeout">How long to wait for the message to start; <see cref="TimeSpan.Zero"/> tries once, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <returns><see langword="true"/> when the message was sent; <see langword="false"/> when the timeout passed first.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled before the message started.</exception>
    /// <exception cref="IOException">The other end is closed.</exception>
    /// <exception cref="ObjectDisposedException">This end is disposed.</exception>
    public bool TrySend(T message, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        TypedRing<T>.TryWrite(_segment, _outgoing, message, timeout, _peerGone, Description, cancellationToken);

    /// <summary>Receives the next message, waiting as long as none has come.</summary>
    /// <returns>The message.</returns>
    /// <exception cref="EndOfStreamException">The other end is closed and everything it sent has been received.</exception>
    /// <exception cref="ObjectDisposedException">This end is disposed.</exception>
    public T Receive() => Receive(CancellationToken.None);

    /// <summary>Receives the next message, waiting until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <returns>The message.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="EndOfStreamException">The other end is closed and everything it sent has been received.</exception>
    /// <exception cref="ObjectDisposedException">This end is disposed.</exception>
    public T Receive(CancellationToken cancellationToken) =>
        TryReceive(Timeout.InfiniteTimeSpan, cancellationToken, out T message) ? message : throw EndOfStream();

    /// <summary>Receives the next message, waiting at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait for a message to start; <see cref="TimeSpan.Zero"/> tries once, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="message">The message, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when a message was received; <see langword="false"/> when the timeout passed or the stream ended (see <see cref="IsPeerClosed"/>).</returns>
    /// <exception cref="ObjectDisposedException">This end is disposed.</exception>
    public bool TryReceive(TimeSpan timeout, out T message) => TryReceive(timeout, CancellationToken.None, out message);

    /// <summary>Receives the next message, waiting at most <paramref name="timeout"/>, until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="timeout">How long to wait for a message to start; <see cref="TimeSpan.Zero"/> tries once, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <param name="message">The message, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when a message was received; <see langword="false"/> when the timeout passed or the stream ended (see <see cref="IsPeerClosed"/>).</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="EndOfStreamException">The other end closed in the middle of a long message.</exception>
    /// <exception cref="ObjectDisposedException">This end is disposed.</exception>
    public bool TryReceive(TimeSpan timeout, CancellationToken cancellationToken, out T message) =>
        TypedRing<T>.TryRead(_segment, _incoming, timeout, _peerGone, cancellationToken, out message);

    /// <summary>
    /// Receives the next message's bytes into <paramref name="buffer"/> instead of a new object, like Python's
    /// <c>Connection.recv_bytes_into</c>: for <c>byte[]</c> messages, a reused buffer spares allocating (and the
    /// operating system zeroing) fresh memory for every large message.
    /// </summary>
    /// <param name="buffer">Where the bytes go; it must hold the whole message.</param>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <returns>The length of the message.</returns>
    /// <exception cref="ArgumentException">The message is longer than <paramref name="buffer"/>; it stays in the pipe, and the message says its length.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="EndOfStreamException">The other end is closed and everything it sent has been received.</exception>
    /// <exception cref="ObjectDisposedException">This end is disposed.</exception>
    public int ReceiveInto(Span<byte> buffer, CancellationToken cancellationToken = default)
    {
        _segment.Enter();
        try
        {
            fixed (byte* target = buffer)
            {
                var sink = new BufferSink(target, buffer.Length);
                return _incoming.Read(ref sink, Timeout.InfiniteTimeSpan, _peerGone, cancellationToken) == ReadOutcome.Message
                    ? sink.Length
                    : throw EndOfStream();
            }
        }
        finally
        {
            _segment.Exit();
        }
    }

    /// <summary>Sends a message; while the ring is full, the wait runs on a dedicated thread.</summary>
    /// <param name="message">The message; a string or byte[] must not be null.</param>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <returns>A task that completes once the message is sent.</returns>
    /// <exception cref="IOException">The other end is closed.</exception>
    public ValueTask SendAsync(T message, CancellationToken cancellationToken = default) =>
        TrySend(message, TimeSpan.Zero, cancellationToken) ? ValueTask.CompletedTask : BlockingCall.RunAsync(() => Send(message, cancellationToken), cancellationToken);

    /// <summary>Receives the next message; while none has come, the wait runs on a dedicated thread.</summary>
    /// <param name="cancellationToken">Stops the wait; noticed within 50 ms.</param>
    /// <returns>The message.</returns>
    /// <exception cref="EndOfStreamException">The other end is closed and everything it sent has been received.</exception>
    public ValueTask<T> ReceiveAsync(CancellationToken cancellationToken = default) =>
        TryReceive(TimeSpan.Zero, out T message) ? ValueTask.FromResult(message) : BlockingCall.RunAsync(() => Receive(cancellationToken), cancellationToken);

    /// <summary>Receives messages as they come until the other end is closed and everything it sent has been received.</summary>
    /// <param name="cancellationToken">Stops the reading with an <see cref="OperationCanceledException"/>.</param>
    /// <returns>The messages.</returns>
    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken = default) => TypedRing<T>.ReadAllAsync(TryReceive, cancellationToken);

    /// <summary>
    /// Closes this end in this process: once no process holds it, the other end receives what was sent and then reaches
    /// the end of the stream, and its sends fail. Calling it again does nothing.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Unregister(_outgoing.Control);
            _segment.Enter();
            try
            {
                _outgoing.WakeAll();
                _incoming.WakeAll();
            }
            finally
            {
                _segment.Exit();
            }

            _segment.Dispose();
        }
    }

    /// <summary>Names the end, for diagnostics.</summary>
    public override string ToString() => IsDisposed ? $"PipeEnd<{MessageCodec<T>.TypeName}>(disposed)" : $"PipeEnd<{MessageCodec<T>.TypeName}>({HandleName})";

    internal static (PipeEnd<T> First, PipeEnd<T> Second) CreatePair(int capacityBytes)
    {
        MessageCodec<T>.ThrowIfUnsupported(nameof(PipeEnd<T>));
        long capacity = SharedRing.ValidCapacity(capacityBytes, nameof(capacityBytes));
        SharedSegment.ThrowIfUnsupported();
        long ringBytes = SharedRing.BytesFor(capacity);
        SharedSegment segment = SharedSegment.Create(Shape(2 * ringBytes), SegmentIds.NewRandom());
        try
        {
            SharedRing.Initialize(segment.Data, capacity, maxCount: 0);
            SharedRing.Initialize(segment.Data + ringBytes, capacity, maxCount: 0);
            segment.MarkReady();
            var first = new PipeEnd<T>(segment, 0);
            try
            {
                return (first, new PipeEnd<T>(SharedSegment.Open(segment.HandleName, Shape(-1)), 1));
            }
            catch
            {
                first.Dispose();
                throw;
            }
        }
        catch when (!segment.IsDisposed)
        {
            segment.Dispose();
            throw;
        }
    }

    private static SegmentShape Shape(long length) => new(SegmentKind.Pipe, 1, MessageCodec<T>.TypeHash, length, $"PipeEnd<{MessageCodec<T>.TypeName}>");

    private static EndOfStreamException EndOfStream() =>
        new($"The other end of the {Description} is closed (disposed, or its process exited) and everything it sent has been received.");

    private static void Register(RingControl* control)
    {
        int self = Environment.ProcessId;
        for (int slot = 0; slot < RingControl.MaxHolders; slot++)
        {
            int holder = Volatile.Read(ref control->Holders[slot]);
            if ((holder == 0 || !ProcessLiveness.IsAlive(holder))
                && Interlocked.CompareExchange(ref control->Holders[slot], self, holder) == holder)
            {
                return;
            }
        }

        throw new InvalidOperationException($"A pipe end can be held by at most {RingControl.MaxHolders} live processes at once.");
    }

    private static void Unregister(RingControl* control)
    {
        int self = Environment.ProcessId;
        for (int slot = 0; slot < RingControl.MaxHolders; slot++)
        {
            if (Interlocked.CompareExchange(ref control->Holders[slot], 0, self) == self)
            {
                return;
            }
        }
    }

    // The peer is the end that writes the incoming ring; its holders are listed there.
    private bool IsPeerGone(bool checkLiveness)
    {
        RingControl* control = _incoming.Control;
        for (int slot = 0; slot < RingControl.MaxHolders; slot++)
        {
            int holder = Volatile.Read(ref control->Holders[slot]);
            if (holder != 0 && (!checkLiveness || ProcessLiveness.IsAlive(holder)))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Whether a process of this machine still runs (an exited child not yet reaped counts as gone).</summary>
internal static class ProcessLiveness
{
    public static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            // /proc/<pid>/stat is "pid (command) state ...": the state follows the last ')'; Z and X are ended processes.
            string stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
            int close = stat.LastIndexOf(')');
            return close < 0 || close + 2 >= stat.Length || stat[close + 2] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }
}
