using System;
using System.Buffers;
using System.Globalization;
using System.IO;
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
    private readonly PooledBufferWriter _outgoing = new();
    private readonly byte[] _header = new byte[FrameHeader.Size];
    private FrameKind _outgoingKind;

    public FrameConnection(Stream stream, int maxBodyLength)
    {
        _stream = stream;
        MaxBodyLength = maxBodyLength;
    }

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

    /// <summary>Sends the frame started by <see cref="Begin"/>.</summary>
    /// <exception cref="ProtocolException">The body is larger than <see cref="MaxBodyLength"/>.</exception>
    public async ValueTask SendAsync(CancellationToken cancellationToken)
    {
        ThrowIfPendingFrameTooLarge();
        FrameHeader.Write(_outgoing.WrittenSpan, _outgoing.WrittenCount - FrameHeader.Size, _outgoingKind);
        await _stream.WriteAsync(_outgoing.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _outgoing.Reset();
    }

    /// <summary>Sends a frame with an empty body.</summary>
    public ValueTask SendEmptyAsync(FrameKind kind, CancellationToken cancellationToken)
    {
        Begin(kind);
        return SendAsync(cancellationToken);
    }

    /// <summary>Receives the next frame, or <see langword="null"/> when the peer closed the stream between frames.</summary>
    /// <exception cref="ProtocolException">The frame is invalid, too large or truncated.</exception>
    public async ValueTask<Frame?> ReceiveAsync(CancellationToken cancellationToken)
    {
        int headerRead = await _stream.ReadAtLeastAsync(_header, FrameHeader.Size, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
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
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(header.BodyLength, 1));
        var frame = new Frame(header.Kind, buffer, header.BodyLength);
        try
        {
            int bodyRead = await _stream.ReadAtLeastAsync(buffer.AsMemory(0, header.BodyLength), header.BodyLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Receives the next frame and checks its kind.</summary>
    /// <exception cref="ProtocolException">The stream ended, or the frame is invalid or of another kind.</exception>
    public async ValueTask<Frame> ReceiveExpectedAsync(FrameKind expected, CancellationToken cancellationToken)
    {
        Frame frame = await ReceiveAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new ProtocolException($"The peer closed the connection where a {expected} frame was expected.");
        if (frame.Kind != expected)
        {
            FrameKind actual = frame.Kind;
            frame.Dispose();
            throw new ProtocolException($"Expected a {expected} frame, received a {actual} frame.");
        }

        return frame;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _outgoing.Dispose();
    }
}
