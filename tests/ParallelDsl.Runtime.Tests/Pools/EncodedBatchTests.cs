using System.Buffers;
using ParallelDsl.GeneratedSupport;
using ParallelDsl;
using static ParallelDsl.Runtime.Tests.Pools.BatchProcessMethods;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// A batch whose arguments arrive already encoded (as a program relaying another machine's work receives them) runs
/// on a local pool and comes back as encoded outcomes, which the method's generated batch decoder reads.
/// </summary>
public sealed class EncodedBatchTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(120);
    private static int s_pools;

    [Fact]
    public async Task An_encoded_batch_runs_in_a_worker_process_and_its_outcomes_decode_with_their_errors()
    {
        await using var pool = new ProcessPool(workers: 1);
        ProcessFunction<int, int> function = TripleUnlessMultipleOf7Process.Function;
        int[] items = [.. Enumerable.Range(0, 30)];

        byte[] outcomes = await pool.RunEncodedBatchAsync(function.MethodId, Encode(function, items), items.Length).WaitAsync(Safety);

        var results = new int[items.Length];
        var errors = new ProcessBatchErrors();
        function.DecodeBatch!(outcomes, results, errors);
        Assert.Equal(items.Where(n => n % 7 == 0), errors.Items.Select(error => error.Offset));
        Assert.All(errors.Items, error => Assert.Equal($"{error.Offset} is a multiple of 7", Assert.IsType<RemoteException>(error.Error).RemoteMessage));
        Assert.All(items.Where(n => n % 7 != 0), n => Assert.Equal(n * 3, results[n]));
    }

    [Fact]
    public async Task Several_encoded_batches_at_once_each_get_their_own_outcomes()
    {
        using var pool = FakePool(workers: 2);
        ProcessFunction<int, int> function = TripleUnlessMultipleOf7Process.Function;
        int[][] batches = [[1, 2, 3], [4, 5], [8, 9, 10, 11]];

        byte[][] outcomes = await Task.WhenAll(batches.Select(batch =>
            pool.RunEncodedBatchAsync(function.MethodId, Encode(function, batch), batch.Length))).WaitAsync(Safety);

        for (int i = 0; i < batches.Length; i++)
        {
            var results = new int[batches[i].Length];
            var errors = new ProcessBatchErrors();
            function.DecodeBatch!(outcomes[i], results, errors);
            Assert.Empty(errors.Items);
            Assert.Equal(batches[i].Select(n => n * 3), results);
        }
    }

    [Fact]
    public async Task A_batch_of_a_method_the_worker_does_not_know_fails_as_a_whole()
    {
        await using var pool = new ProcessPool(workers: 1);
        const ulong unknown = 0x0123_4567_89AB_CDEF;

        var failure = await Assert.ThrowsAsync<RemoteException>(() => pool.RunEncodedBatchAsync(unknown, new byte[4], 1).WaitAsync(Safety));

        Assert.Contains("No [RunInProcess] method with id 0x0123456789ABCDEF", failure.RemoteMessage, StringComparison.Ordinal);
        int[] after = await pool.MapAsync(TripleUnlessMultipleOf7, [3]).WaitAsync(Safety);
        Assert.Equal(new[] { 9 }, after);
    }

    [Fact]
    public void An_empty_batch_is_refused()
    {
        using var pool = FakePool(workers: 1);

        // Refused by the call itself, before anything is queued.
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = pool.RunEncodedBatchAsync(TripleUnlessMultipleOf7Process.Function.MethodId, ReadOnlyMemory<byte>.Empty, 0); });
    }

    [Fact]
    public async Task A_cancelled_wait_ends_the_call()
    {
        using var pool = FakePool(workers: 1);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        ProcessFunction<int, int> function = SlowSquareProcess.Function;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pool.RunEncodedBatchAsync(function.MethodId, Encode(function, [1]), 1, cancelled.Token));
    }

    private static byte[] Encode(ProcessFunction<int, int> function, int[] items)
    {
        var arguments = new ArrayBufferWriter<byte>();
        function.EncodeBatch!(items, arguments);
        return arguments.WrittenSpan.ToArray();
    }

    private static ProcessPool FakePool(int workers) =>
        new($"EncodedBatchPool-{Interlocked.Increment(ref s_pools)}", name => new FakeWorkerFactory(name), workers);
}
