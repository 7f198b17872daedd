using System;
using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;

namespace ParallelDsl.Cluster.Wire;

/// <summary>
/// Signs and checks cluster messages with HMAC-SHA256 over the body and a cluster key that client and workers share
/// (as the local pools sign their handshake): a publisher without the key cannot make a worker run anything, nor
/// hand a client a forged result. The size limit is checked before anything else is read.
/// </summary>
internal sealed class MessageSigner
{
    public const int SignatureBytes = 32;

    private readonly byte[] _key;

    public MessageSigner(byte[] key, int maxMessageBytes)
    {
        _key = key;
        MaxMessageBytes = maxMessageBytes;
    }

    /// <summary>The largest body accepted or sent, signature included.</summary>
    public int MaxMessageBytes { get; }

    /// <summary>Encodes <paramref name="message"/> after a signature over the rest and returns the whole body.</summary>
    /// <exception cref="ClusterMessageException">The body is over <see cref="MaxMessageBytes"/>.</exception>
    public ReadOnlyMemory<byte> Sign(ArrayBufferWriter<byte> buffer, ClusterMessage message, ReadOnlySpan<byte> payload)
    {
        buffer.ResetWrittenCount();
        buffer.GetSpan(SignatureBytes)[..SignatureBytes].Clear();
        buffer.Advance(SignatureBytes);
        message.Write(buffer, payload);
        if (buffer.WrittenCount > MaxMessageBytes)
        {
            throw new ClusterMessageException(string.Create(CultureInfo.InvariantCulture,
                $"A {message.Kind} message of {buffer.WrittenCount} bytes is over the cluster's limit of {MaxMessageBytes} bytes (ClusterOptions.MaxMessageBytes); pass smaller arguments or results, or a smaller chunkSize."));
        }

        Memory<byte> body = buffer.WrittenMemory.ToArray();
        HMACSHA256.HashData(_key, body.Span[SignatureBytes..], body.Span[..SignatureBytes]);
        return body;
    }

    /// <summary>Checks the size and the signature of <paramref name="body"/>, then decodes it.</summary>
    /// <exception cref="ClusterMessageException">The body is over the limit, unsigned, signed with another key, or malformed.</exception>
    public ClusterMessage Open(ReadOnlyMemory<byte> body)
    {
        if (body.Length > MaxMessageBytes)
        {
            throw new ClusterMessageException(string.Create(CultureInfo.InvariantCulture,
                $"A message of {body.Length} bytes is over the cluster's limit of {MaxMessageBytes} bytes; it was not decoded."));
        }

        if (body.Length < SignatureBytes + 2)
        {
            throw new ClusterMessageException(string.Create(CultureInfo.InvariantCulture, $"A message of {body.Length} bytes is too short to hold a signature."));
        }

        Span<byte> expected = stackalloc byte[SignatureBytes];
        HMACSHA256.HashData(_key, body.Span[SignatureBytes..], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, body.Span[..SignatureBytes]))
        {
            throw new ClusterMessageException("The message's signature does not match the cluster key: it was sent by a publisher without the key, or altered on the way.");
        }

        return ClusterMessage.Read(body[SignatureBytes..]);
    }
}
