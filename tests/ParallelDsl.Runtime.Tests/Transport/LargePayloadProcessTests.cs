using ParallelDsl;
using ParallelDsl.Runtime.Tests.Pools;
using ParallelDsl.Wire;
using static ParallelDsl.Tests.Transport.LargePayloadSubjects;

namespace ParallelDsl.Tests.Transport;

/// <summary>
/// Large arguments and results through real workers, launchers and pools: they arrive whole on both sides of the
/// memory-file threshold, a child killed while its large result is on its way ends in a clear exception, and no memory
/// file or mapping is left behind in the parent.
/// </summary>
[Collection(nameof(ProcessWideSettings))]
public sealed class LargePayloadProcessTests
{
    private const int MiB = 1024 * 1024;
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(120);

    // What a Result frame holds besides the array's bytes: the task id, the status and the array's count.
    private const int ResultOverhead = sizeof(ulong) + 1 + sizeof(int);

    /// <summary>0 B, 1 B, arrays whose Result frame is one byte under, at and over the threshold, 64 MiB.</summary>
    public static TheoryData<int> Lengths =>
    [
        0, 1, FrameSpill.Threshold - ResultOverhead - 1, FrameSpill.Threshold - ResultOverhead, FrameSpill.Threshold - ResultOverhead + 1, 64 * MiB,
    ];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void A_byte_array_goes_to_a_child_and_back_unchanged(int length)
    {
        var before = MemoryFileCensus.Take();
        long spilledBefore = FrameSpill.ReceivedCount;
        byte[] data = RandomBytes(length);

        using ProcessHandle<byte[]> echo = StartEcho(data);
        byte[] echoed = echo.Join();

        Assert.True(echoed.AsSpan().SequenceEqual(data), $"the {length} bytes came back changed");
        Assert.Equal(length + ResultOverhead > FrameSpill.Threshold ? 1 : 0, FrameSpill.ReceivedCount - spilledBefore);
        MemoryFileCensus.AssertNoLeakSince(before);
    }

    [Fact]
    public void Half_a_gibibyte_goes_to_a_child_and_back_unchanged_when_the_frame_limit_allows_it()
    {
        var before = MemoryFileCensus.Take();
        byte[] data = RandomBytes(512 * MiB);
        ProcessSettings.MaxFrameLength = 513 * MiB;
        try
        {
            using ProcessHandle<byte[]> echo = StartEcho(data);
            byte[] echoed = echo.Join();

            Assert.True(echoed.AsSpan().SequenceEqual(data));
        }
        finally
        {
            ProcessSettings.MaxFrameLength = ProcessSettings.DefaultMaxFrameLength;
        }

        MemoryFileCensus.AssertNoLeakSince(before);
    }

    [Fact]
    public void A_result_over_the_frame_limit_is_a_clear_error_and_leaves_no_memory_file()
    {
        var before = MemoryFileCensus.Take();

        using ProcessHandle<double[]> ramp = StartRamp((ProcessSettings.DefaultMaxFrameLength / sizeof(double)) + 1, 0);
        RemoteException error = Assert.Throws<RemoteException>(() => ramp.Join());

        Assert.Contains("exceeds the maximum frame length", error.Message, StringComparison.Ordinal);
        MemoryFileCensus.AssertNoLeakSince(before);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(150)]
    [InlineData(400)]
    [InlineData(900)]
    public void A_child_killed_while_its_large_result_is_built_sent_or_mapped_ends_in_a_ProcessTerminatedException_or_the_whole_result(int killAfterMilliseconds)
    {
        var before = MemoryFileCensus.Take();
        const int Count = 24 * MiB; // 192 MiB of doubles

        using (ProcessHandle<double[]> ramp = StartRamp(Count, 0.5))
        {
            Thread.Sleep(killAfterMilliseconds);
            ramp.Kill();
            Assert.True(ramp.Join(Safety), "the parent hung on a killed child");
            try
            {
                double[] values = ramp.Join();
                Assert.Equal(Count, values.Length);
                Assert.Equal(Count - 0.5, values[^1]);
            }
            catch (ProcessTerminatedException)
            {
                // Killed before the result was sent: the expected, clear ending.
            }
        }

        MemoryFileCensus.AssertNoLeakSince(before);
    }

    [Fact]
    public void A_pool_moves_large_tasks_and_large_results_through_memory_files_and_small_ones_through_the_socket()
    {
        var before = MemoryFileCensus.Take();
        long spilledBefore = FrameSpill.ReceivedCount;
        int[][] tasks = [[1, 2, 3], [.. Enumerable.Range(0, 8 * MiB)], [], [.. Enumerable.Range(0, (FrameSpill.Threshold / sizeof(int)) + 1)]];
        (int Count, double Offset)[] ramps = [(3, 1), (16 * MiB, 2), (0, 3)];

        using (var pool = new ProcessPool(workers: 2))
        {
            long[] sums = pool.Map(Sum, tasks, chunkSize: 1, timeout: Safety);
            double[][] results = pool.StarMap(Ramp, ramps, timeout: Safety);

            Assert.Equal(tasks.Select(task => task.Sum(value => (long)value)), sums);
            Assert.Equal(ramps.Select(ramp => ramp.Count), results.Select(result => result.Length));
            Assert.Equal(16 * MiB - 1 + 2.0, results[1][^1]);
            Assert.Equal(3.0, results[0][^1]);
        }

        // The large results came back mapped; the large tasks went out mapped (their arrival is the sums above).
        Assert.Equal(1, FrameSpill.ReceivedCount - spilledBefore);
        MemoryFileCensus.AssertNoLeakSince(before);
    }

    private static byte[] RandomBytes(int length)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }
}
