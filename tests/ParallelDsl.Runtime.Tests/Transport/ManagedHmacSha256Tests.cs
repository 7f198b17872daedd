using System.Security.Cryptography;
using ParallelDsl.Wire;

namespace ParallelDsl.Tests.Processes;

/// <summary>
/// The worker's own HMAC-SHA256 against the framework's: a worker whose MAC differed from the parent's in any
/// case would be refused, so every key and message length around the block boundaries is compared.
/// </summary>
public sealed class ManagedHmacSha256Tests
{
    public static TheoryData<int, int> Lengths()
    {
        var data = new TheoryData<int, int>();
        foreach (int keyLength in (int[])[0, 1, 31, 32, 63, 64, 65, 100, 200])
        {
            foreach (int messageLength in (int[])[0, 1, 32, 36, 55, 56, 63, 64, 65, 119, 120, 128, 1000])
            {
                data.Add(keyLength, messageLength);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Matches_the_framework_on_random_inputs(int keyLength, int messageLength)
    {
        var random = new Random(keyLength * 7919 + messageLength);
        for (int round = 0; round < 5; round++)
        {
            byte[] key = new byte[keyLength];
            byte[] message = new byte[messageLength];
            random.NextBytes(key);
            random.NextBytes(message);

            byte[] ours = new byte[ManagedHmacSha256.HashLength];
            ManagedHmacSha256.Compute(key, message, ours);

            Assert.Equal(HMACSHA256.HashData(key, message), ours);
        }
    }

    [Fact]
    public void Matches_the_RFC_4231_test_case_2()
    {
        byte[] mac = new byte[ManagedHmacSha256.HashLength];
        ManagedHmacSha256.Compute("Jefe"u8, "what do ya want for nothing?"u8, mac);

        Assert.Equal("5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843", Convert.ToHexString(mac));
    }

    [Fact]
    public void A_different_key_or_message_gives_a_different_mac()
    {
        byte[] key = RandomNumberGenerator.GetBytes(WorkerAuthentication.KeyLength);
        byte[] nonce = RandomNumberGenerator.GetBytes(WorkerAuthentication.NonceLength);
        byte[] token = [1, 2, 3, 4];
        byte[] mac = new byte[WorkerAuthentication.MacLength];
        WorkerAuthentication.ComputeMac(key, nonce, token, mac);

        Assert.True(WorkerAuthentication.Verify(key, nonce, token, mac));
        byte[] otherKey = (byte[])key.Clone();
        otherKey[0] ^= 1;
        Assert.False(WorkerAuthentication.Verify(otherKey, nonce, token, mac));
        byte[] otherNonce = (byte[])nonce.Clone();
        otherNonce[^1] ^= 0x80;
        Assert.False(WorkerAuthentication.Verify(key, otherNonce, token, mac));
    }

    [Fact]
    public void A_destination_that_is_too_short_is_refused()
    {
        byte[] mac = new byte[ManagedHmacSha256.HashLength - 1];

        ArgumentException refused = Assert.Throws<ArgumentException>(() => ManagedHmacSha256.Compute([1], [2], mac));
        Assert.Contains("32 bytes", refused.Message, StringComparison.Ordinal);
    }
}
