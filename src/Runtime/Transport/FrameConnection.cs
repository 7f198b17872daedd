using System;
using System.Buffers;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl.Wire;

/// <summary>
/// Frames over a byte stream: builds outgoing frames in one reused pooled buffer and reads incoming ones into
/// pooled buffers, validating every header before anything is allocated. One sender and one receiver may use a
/// connection at the same time.
/// </summary>
internal sealed class FrameConnection : IDisposable
{
    private readonly Stream _stream;
    private readonly SafeHandle? _socket;
    private readonly FrameSpillWriter _outgoing;
    private readonly byte[] _header = new byte[FrameHeader.Size];
    private FrameKind _outgoingKind;

    public FrameConnection(Stream stream, int maxBodyLength)
    {
        _stream = stream;
        MaxBodyLength = maxBodyLength;
        _socket = DescriptorPassing.SocketOf(stream);
        _outgoing = new FrameSpillWriter(_socket is not null, maxBodyLength);
    }

    /// <summary>The stream the frames travel on.</summary>
    public Stream Stream => _stream;

    /// <summary>The largest frame body this connection sends or accepts.</summary>
    public int MaxBodyLength { get; }

    /// <summary>Starts a new outgoing frame; write its body to the returned writer, then call <see cref="SendAsync"/>.</summary>
    public IBufferWriter<byte> Begin(FrameKind kind)
    {
        _outgoing.Reset();
        _outgoing.GetSpan(FrameHeader.Size);
        _outgoing.Advance(FrameHeader.Size);
        _outgoingKind = kind;
        return _outgoing;
    }

    /// <summary>Fails when the frame being built has grown past <see cref="MaxBodyLength"/>.</summary>
    /// <exception cref="ProtocolException">The body is too large.</exception>
    public void ThrowIfPendingFrameTooLarge()
    {
        int bodyLength = _outgoing.WrittenCount - FrameHeader.Size;
        if (bodyLength > MaxBodyLength)
        {
            throw new ProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"A {_outgoingKind} frame of {bodyLength} bytes exceeds the maximum frame length of {MaxBodyLength} bytes (ProcessSettings.MaxFrameLength)."));
        }
    }

    /// <summary>The body of the frame being built, for a caller that delivers it another way (then <see cref="DiscardPending"/>).</summary>
    public ReadOnlySpan<byte> PendingBody => _outgoing.WrittenSpan[FrameHeader.Size..];

    /// <summary>Drops the frame being built.</summary>
    public void DiscardPending() => _outgoing.Reset();

    /// <summary>Sends a frame with an empty body, blocking, without touching the frame being built.</summary>
    public void SendEmpty(FrameKind kind)
    {
        Span<byte> header = stackalloc byte[FrameHeader.Size];
        FrameHeader.Write(header, 0, kind);
        _stream.Write(header);
    }

    /// <summary>Sends the frame started by <see cref="Begin"/>.</summary>
    /// <exception cref="ProtocolException">The body is larger than <see cref="MaxBodyLength"/>.</exception>
    public ValueTask SendAsync(CancellationToken cancellationToken) => SendCoreAsync(synchronous: false, cancellationToken);

    /// <summary>Sends the frame started by <see cref="Begin"/>, blocking the calling thread.</summary>
    /// <exception cref="ProtocolException">The body is larger than <see cref="MaxBodyLength"/>.</exception>
    public void Send()
    {
        ValueTask sending = SendCoreAsync(synchronous: true, CancellationToken.None);
        if (!sending.IsCompletedSuccessfully)
        {
            sending.AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Sends a frame with an empty body.</summary>
    public ValueTask SendEmptyAsync(FrameKind kind, CancellationToken cancellationToken)
    {
        Begin(kind);
        return SendAsync(cancellationToken);
    }

    /// <summary>Receives the next frame, or <see langword="null"/> when the peer closed the stream between frames.</summary>
    /// <exception cref="ProtocolException">The frame is invalid, too large or truncated.</exception>
    public ValueTask<Frame?> ReceiveAsync(CancellationToken cancellationToken) => ReceiveCoreAsync(synchronous: false, cancellationToken);

    /// <summary>Receives the next frame, blocking the calling thread; <see langword="null"/> at end of stream.</summary>
    /// <exception cref="ProtocolException">The frame is invalid, too large or truncated.</exception>
    public Frame? Receive()
    {
        ValueTask<Frame?> receiving = ReceiveCoreAsync(synchronous: true, CancellationToken.None);
        return receiving.IsCompletedSuccessfully ? receiving.Result : receiving.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Receives the next frame and checks its kind.</summary>
    /// <exception cref="ProtocolException">The stream ended, or the frame is invalid or of another kind.</exception>
    public async ValueTask<Frame> ReceiveExpectedAsync(FrameKind expected, CancellationToken cancellationToken) =>
        Expect(await ReceiveAsync(cancellationToken).ConfigureAwait(false), expected);

    /// <summary>Receives the next frame, blocking the calling thread, and checks its kind.</summary>
    /// <exception cref="ProtocolException">The stream ended, or the frame is invalid or of another kind.</exception>
    public Frame ReceiveExpected(FrameKind expected) => Expect(Receive(), expected);

    private static Frame Expect(Frame? frame, FrameKind expected)
    {
        if (frame is null)
        {
            throw new ProtocolException($"The peer closed the connection where a {expected} frame was expected.");
        }

        if (frame.Kind != expected)
        {
            FrameKind actual = frame.Kind;
            frame.Dispose();
            throw new ProtocolException($"Expected a {expected} frame, received a {actual} frame.");
        }

        return frame;
    }

    // One implementation for both: the worker's channel thread blocks in plain system calls, while the parent,
    // which serves many workers, stays asynchronous. With synchronous: true every await completes at once.
    private async ValueTask SendCoreAsync(bool synchronous, CancellationToken cancellationToken)
    {
        ThrowIfPendingFrameTooLarge();

        // A frame that only asked for a large buffer but came out small goes through the socket, from its memory file.
        if (FrameSpill.Spills(_outgoing))
        {
            try
            {
                FrameSpill.Send(_stream, _socket!, _outgoingKind, _outgoing);
            }
            finally
            {
                _outgoing.Reset();
            }

            return;
        }

        FrameHeader.Write(_outgoing.WrittenSpan, _outgoing.WrittenCount - FrameHeader.Size, _outgoingKind);
        if (synchronous)
        {
            _stream.Write(_outgoing.WrittenSpan);
        }
        else
        {
            await _stream.WriteAsync(_outgoing.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }

        _outgoing.Reset();
    }

    private async ValueTask<Frame?> ReceiveCoreAsync(bool synchronous, CancellationToken cancellationToken)
    {
        int headerRead = await FillAsync(_header, synchronous, cancellationToken).ConfigureAwait(false);
        if (headerRead == 0)
        {
            return null;
        }

        if (headerRead < FrameHeader.Size)
        {
            throw new ProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"The peer closed the connection in the middle of a frame header ({headerRead} of {FrameHeader.Size} bytes)."));
        }

        FrameHeader header = FrameHeader.Read(_header, MaxBodyLength);
        if (header.Kind == FrameKind.Spill)
        {
            return FrameSpill.Receive(_socket, header, MaxBodyLength);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(header.BodyLength, 1));
        var frame = new Frame(header.Kind, buffer, header.BodyLength);
        try
        {
            int bodyRead = await FillAsync(buffer.AsMemory(0, header.BodyLength), synchronous, cancellationToken).ConfigureAwait(false);
            if (bodyRead < header.BodyLength)
            {
                throw new ProtocolException(string.Create(CultureInfo.InvariantCulture,
                    $"The peer closed the connection in the middle of a {header.Kind} frame ({bodyRead} of {header.BodyLength} body bytes)."));
            }

            return frame;
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    private async ValueTask<int> FillAsync(Memory<byte> buffer, bool synchronous, CancellationToken cancellationToken) =>
        synchronous
            ? _stream.ReadAtLeast(buffer.Span, buffer.Length, throwOnEndOfStream: false)
            : await _stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);

    public void Dispose()
    {
        _stream.Dispose();
        _outgoing.Dispose();
    }
}
