using System;
using System.Security.Cryptography;

namespace ParallelDsl.Wire;

/// <summary>
/// The challenge–response both ends compute: HMAC-SHA256 under the worker's 32-byte key of the parent's fresh
/// nonce followed by the worker token. The key itself never crosses the socket, and a recorded answer is useless
/// for the next connection because the nonce changes. The MAC is computed by <see cref="ManagedHmacSha256"/>, so a
/// worker never loads the platform's cryptography library; only the parent, which draws the random key and nonces,
/// does.
/// </summary>
internal static class WorkerAuthentication
{
    public const int KeyLength = 32;
    public const int NonceLength = 32;
    public const int MacLength = ManagedHmacSha256.HashLength;

    public static byte[] CreateKey() => RandomNumberGenerator.GetBytes(KeyLength);

    public static byte[] CreateNonce() => RandomNumberGenerator.GetBytes(NonceLength);

    public static void ComputeMac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> token, Span<byte> mac)
    {
        Span<byte> message = stackalloc byte[nonce.Length + token.Length];
        nonce.CopyTo(message);
        token.CopyTo(message[nonce.Length..]);
        ManagedHmacSha256.Compute(key, message, mac);
    }

    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> token, ReadOnlySpan<byte> mac)
    {
        Span<byte> expected = stackalloc byte[MacLength];
        ComputeMac(key, nonce, token, expected);
        return CryptographicOperations.FixedTimeEquals(expected, mac);
    }
}
