using System;
using System.Buffers.Binary;
using System.Numerics;

namespace ParallelDsl.Wire;

/// <summary>
/// HMAC-SHA256 (RFC 2104 over FIPS 180-4 SHA-256) in plain managed code. A worker answers exactly one challenge
/// per life; computing it here spares every worker loading System.Security.Cryptography and initialising OpenSSL
/// (libssl, libcrypto, openssl.cnf), which costs more than the rest of the handshake. Not for bulk hashing: it is
/// simple rather than fast.
/// </summary>
internal static class ManagedHmacSha256
{
    public const int HashLength = 32;
    private const int BlockLength = 64;

    private static readonly uint[] RoundConstants =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// <summary>Writes HMAC-SHA256(<paramref name="key"/>, <paramref name="message"/>) to <paramref name="mac"/> (32 bytes).</summary>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> mac)
    {
        if (mac.Length < HashLength)
        {
            throw new ArgumentException($"The destination must hold {HashLength} bytes.", nameof(mac));
        }

        // Keys longer than a block are hashed first; shorter ones are padded with zeros (RFC 2104, section 2).
        Span<byte> block = stackalloc byte[BlockLength];
        block.Clear();
        if (key.Length > BlockLength)
        {
            Hash(key, [], block);
        }
        else
        {
            key.CopyTo(block);
        }

        Span<byte> pad = stackalloc byte[BlockLength];
        Span<byte> inner = stackalloc byte[HashLength];
        XorInto(block, 0x36, pad);
        Hash(pad, message, inner);
        XorInto(block, 0x5c, pad);
        Hash(pad, inner, mac);
    }

    /// <summary>SHA-256 of <paramref name="first"/> followed by <paramref name="second"/>.</summary>
    private static void Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> digest)
    {
        Span<uint> state =
        [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
        ];
        Span<uint> schedule = stackalloc uint[64];
        Span<byte> pending = stackalloc byte[BlockLength];
        int pendingLength = 0;
        long totalLength = (long)first.Length + second.Length;

        Absorb(first, state, pending, ref pendingLength, schedule);
        Absorb(second, state, pending, ref pendingLength, schedule);

        // Padding: a one bit, zeros, then the message length in bits as a big-endian 64-bit number.
        pending[pendingLength++] = 0x80;
        if (pendingLength > BlockLength - sizeof(ulong))
        {
            pending[pendingLength..].Clear();
            Compress(state, pending, schedule);
            pendingLength = 0;
        }

        pending[pendingLength..(BlockLength - sizeof(ulong))].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(pending[(BlockLength - sizeof(ulong))..], (ulong)totalLength * 8);
        Compress(state, pending, schedule);

        for (int i = 0; i < state.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest[(i * sizeof(uint))..], state[i]);
        }
    }

    /// <summary>Appends <paramref name="part"/> to the pending block, compressing every block that fills up.</summary>
    private static void Absorb(ReadOnlySpan<byte> part, Span<uint> state, Span<byte> pending, ref int pendingLength, Span<uint> schedule)
    {
        while (part.Length > 0)
        {
            int take = Math.Min(BlockLength - pendingLength, part.Length);
            part[..take].CopyTo(pending[pendingLength..]);
            pendingLength += take;
            part = part[take..];
            if (pendingLength == BlockLength)
            {
                Compress(state, pending, schedule);
                pendingLength = 0;
            }
        }
    }

    private static void Compress(Span<uint> state, ReadOnlySpan<byte> block, Span<uint> w)
    {
        for (int t = 0; t < 16; t++)
        {
            w[t] = BinaryPrimitives.ReadUInt32BigEndian(block[(t * sizeof(uint))..]);
        }

        for (int t = 16; t < 64; t++)
        {
            uint s0 = BitOperations.RotateRight(w[t - 15], 7) ^ BitOperations.RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint s1 = BitOperations.RotateRight(w[t - 2], 17) ^ BitOperations.RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }

        uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 64; t++)
        {
            uint sum1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
            uint choose = (e & f) ^ (~e & g);
            uint temp1 = h + sum1 + choose + RoundConstants[t] + w[t];
            uint sum0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
            uint majority = (a & b) ^ (a & c) ^ (b & c);
            uint temp2 = sum0 + majority;
            h = g;
            g = f;
            f = e;
            e = d + temp1;
            d = c;
            c = b;
            b = a;
            a = temp1 + temp2;
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }

    private static void XorInto(ReadOnlySpan<byte> source, byte value, Span<byte> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (byte)(source[i] ^ value);
        }
    }
}
