using System.Buffers.Binary;
using System.Buffers;
using ParallelDsl.GeneratedSupport;
using ParallelDsl.Wire;
using ParallelDsl;
using static ParallelDsl.Runtime.Tests.Pools.BatchProcessMethods;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// Pool tasks that travel in batches (many tasks per frame, through the generated batch codecs): per-task errors,
/// malformed batch results, and results of several parameters, strings and records. Fake workers run the generated
/// batch invoker in this process; the last tests use real worker processes.
/// </summary>
public sealed class ProcessBatchTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(120);
    private static int s_pools;

    [Fact]
    public void Tasks_that_throw_fail_alone_and_their_batch_mates_succeed()
    {
        using var pool = FakePool(workers: 2, out _);

        var failure = Assert.Throws<AggregateException>(() => pool.Map(TripleUnlessMultipleOf7, Enumerable.Range(0, 500), timeout: Safety));

        int[] multiples = [.. Enumerable.Range(0, 500).Where(n => n % 7 == 0)];
        PoolTaskException[] failed = [.. failure.InnerExceptions.Cast<PoolTaskException>()];
        Assert.Equal(multiples, failed.Select(task => task.InputIndex));
        Assert.All(failed, task =>
        {
            RemoteException remote = Assert.IsType<RemoteException>(task.InnerException);
            Assert.Equal(typeof(ArgumentException).FullName, remote.RemoteTypeName);
            Assert.Equal($"{task.InputIndex} is a multiple of 7", remote.RemoteMessage);
        });
        int[] unordered = [.. pool.MapUnordered(TripleUnlessMultipleOf7, Enumerable.Range(1, 6), timeout: Safety)];
        Assert.Equal([3, 6, 9, 12, 15, 18], unordered.Order());
    }

    [Fact]
    public void A_batch_result_holds_the_other_tasks_results_next_to_the_errors()
    {
        int[] items = [.. Enumerable.Range(0, 100)];
        using var result = new PooledBufferWriter();

        (ProcessMapJob<int, int> job, ProcessBatchErrors errors) = RunBatch(TripleUnlessMultipleOf7Process.Function, items, result, () => result.WrittenSpan.ToArray());

        Assert.Equal(items.Where(n => n % 7 == 0), errors.Items.Select(error => error.Offset));
        Assert.All(errors.Items, error => Assert.Equal($"{error.Offset} is a multiple of 7", Assert.IsType<RemoteException>(error.Error).RemoteMessage));
        Assert.All(items.Where(n => n % 7 != 0), n => Assert.Equal(n * 3, job.Results[n]));
    }

    [Fact]
    public void A_batch_whose_results_spill_to_a_memory_file_takes_a_half_written_result_back_in_place()
    {
        // 3,000 labels, a third of them 3,000 characters long: about 3 MB of outcomes, past the spill threshold. Labels
        // ending in 3 fail after their text was written, so their bytes are taken back from the memory file.
        int[] items = [.. Enumerable.Range(0, 3_000)];
        using var result = new FrameSpillWriter(canSpill: true, maxBodyLength: 64 << 20);

        (ProcessMapJob<int, Labelled> job, ProcessBatchErrors errors) = RunBatch(LabelProcess.Function, items, result, () => result.WrittenSpan.ToArray());

        Assert.True(result.IsSpilled);
        Assert.Equal(items.Where(n => n % 10 == 3), errors.Items.Select(error => error.Offset));
        Assert.All(errors.Items, error => Assert.Contains("unpaired surrogate", error.Error.Message, StringComparison.Ordinal));
        Assert.All(items.Where(n => n % 10 != 3), n => Assert.Equal(Label(n), job.Results[n]));
    }

    [Fact]
    public void A_result_that_fails_to_encode_half_way_fails_its_task_only()
    {
        using var pool = FakePool(workers: 1, out _);

        var failure = Assert.Throws<AggregateException>(() => pool.Map(Label, Enumerable.Range(0, 200), timeout: Safety));

        int[] endingIn3 = [.. Enumerable.Range(0, 200).Where(n => n % 10 == 3)];
        PoolTaskException[] failed = [.. failure.InnerExceptions.Cast<PoolTaskException>()];
        Assert.Equal(endingIn3, failed.Select(task => task.InputIndex));
        Assert.All(failed, task => Assert.Contains("unpaired surrogate", task.InnerException!.Message, StringComparison.Ordinal));
        Labelled[] good = pool.Map(Label, [0, 1, 2, 3 * 7, 4], timeout: Safety);
        Assert.Equal([new Labelled(0, new string('x', 3000), "ok"), new Labelled(1, "xxxxx", "ok"), new Labelled(2, "xxxxx", "ok"),
            new Labelled(21, new string('x', 3000), "ok"), new Labelled(4, "xxxxx", "ok")], good);
    }

    [Fact]
    public void An_argument_that_cannot_be_encoded_fails_its_task_only()
    {
        using var pool = FakePool(workers: 2, out _);
        Shape[] shapes = [.. Enumerable.Range(0, 400).Select(n => n % 50 == 17 ? new Star { Sides = n, Points = 5 } : new Shape { Sides = n })];

        var failure = Assert.Throws<AggregateException>(() => pool.Map(CountSides, shapes, timeout: Safety));

        PoolTaskException[] failed = [.. failure.InnerExceptions.Cast<PoolTaskException>()];
        Assert.Equal(Enumerable.Range(0, 400).Where(n => n % 50 == 17), failed.Select(task => task.InputIndex));
        Assert.All(failed, task => Assert.Contains("'Star'", Assert.IsType<NotSupportedException>(task.InnerException).Message, StringComparison.Ordinal));
        Assert.Equal([0, 1, 2, 3], pool.Map(CountSides, [.. Enumerable.Range(0, 4).Select(n => new Shape { Sides = n })], timeout: Safety));
    }

    [Theory]
    [InlineData("truncated", "ends too early")]
    [InlineData("wrong count", "outcomes for a batch of")]
    [InlineData("unknown status", "unknown status 7")]
    public void A_malformed_batch_result_fails_that_batch_with_the_reason_and_the_pool_goes_on(string corruption, string reason)
    {
        int tampered = 0;
        int tamperedCount = 0;
        using var pool = FakePool(workers: 1, out FakeWorkerFactory factory, tamperResult: (task, result) =>
        {
            int count = task.MethodId == ProcessBatch.MethodId ? BinaryPrimitives.ReadInt32LittleEndian(result) : 0;
            if (count == 0 || Interlocked.CompareExchange(ref tampered, 1, 0) != 0)
            {
                return result;
            }

            tamperedCount = count;
            return Corrupt(corruption, result);
        });

        var failure = Assert.Throws<AggregateException>(() => pool.Map(TripleUnlessMultipleOf7, Enumerable.Range(1, 300).Where(n => n % 7 != 0), timeout: Safety));

        PoolTaskException[] failed = [.. failure.InnerExceptions.Cast<PoolTaskException>()];
        Assert.Equal(tamperedCount, failed.Length);
        Assert.Equal(Enumerable.Range(0, tamperedCount), failed.Select(task => task.InputIndex));
        Assert.All(failed, task =>
        {
            InvalidDataException error = Assert.IsType<InvalidDataException>(task.InnerException);
            Assert.Contains("batch result of", error.Message, StringComparison.Ordinal);
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        });
        Assert.Equal([3, 6, 9], pool.Map(TripleUnlessMultipleOf7, [1, 2, 3], timeout: Safety));
        Assert.Single(factory.Workers);
    }

    [Fact]
    public void Several_parameters_strings_and_records_come_back_through_batches()
    {
        using var pool = FakePool(workers: 2, out _);

        string[] described = pool.StarMap(Describe, Enumerable.Range(0, 300).Select(n => (n, n % 2 == 0 ? "kg" : "m")), timeout: Safety);
        Labelled[] labelled = pool.Map(Label, Enumerable.Range(0, 300).Where(n => n % 10 != 3), timeout: Safety);

        Assert.Equal(Enumerable.Range(0, 300).Select(n => $"{n} {(n % 2 == 0 ? "kg" : "m")}"), described);
        Assert.Equal(
            Enumerable.Range(0, 300).Where(n => n % 10 != 3).Select(n => new Labelled(n, new string('x', n % 3 == 0 ? 3000 : 5), "ok")),
            labelled);
    }

    [Fact]
    public void Cancelling_a_batched_map_of_slow_tasks_stops_after_the_few_tasks_in_flight()
    {
        var pool = FakePool(workers: 2, out FakeWorkerFactory factory);
        using var cancel = new CancellationTokenSource();
        int seen = 0;

        // 400 tasks in chunks of 50: slow tasks keep their batches at one task, so cancelling leaves few to finish.
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (int _ in pool.MapUnordered(SlowSquare, Enumerable.Range(0, 400), timeout: Safety, cancellationToken: cancel.Token))
            {
                if (++seen == 3)
                {
                    cancel.Cancel();
                }
            }
        });
        pool.Dispose();

        // About 3 seen + 2 in flight per worker; batches of whole chunks would have sent at least 100 (two chunks of 50).
        Assert.InRange(factory.Workers.Sum(worker => worker.TasksReceived), 3, 20);
    }

    [Fact]
    public void Worker_processes_run_batches_with_per_task_errors_several_parameters_and_records()
    {
        using var pool = new ProcessPool(workers: 2);

        var failure = Assert.Throws<AggregateException>(() => pool.Map(TripleUnlessMultipleOf7, Enumerable.Range(0, 2_000), timeout: Safety));
        string[] described = pool.StarMap(Describe, Enumerable.Range(0, 2_000).Select(n => (n, "s")), timeout: Safety);
        var labelFailure = Assert.Throws<AggregateException>(() => pool.Map(Label, Enumerable.Range(0, 500), timeout: Safety));
        Labelled[] labelled = pool.Map(Label, [3 * 4, 3 * 5], timeout: Safety);

        Assert.Equal(
            Enumerable.Range(0, 2_000).Where(n => n % 7 == 0),
            failure.InnerExceptions.Cast<PoolTaskException>().Select(task => task.InputIndex));
        Assert.All(failure.InnerExceptions.Cast<PoolTaskException>(), task =>
            Assert.Equal($"{task.InputIndex} is a multiple of 7", Assert.IsType<RemoteException>(task.InnerException).RemoteMessage));
        Assert.Equal(Enumerable.Range(0, 2_000).Select(n => $"{n} s"), described);
        Assert.Equal(
            Enumerable.Range(0, 500).Where(n => n % 10 == 3),
            labelFailure.InnerExceptions.Cast<PoolTaskException>().Select(task => task.InputIndex));
        Assert.Equal([new Labelled(12, new string('x', 3000), "ok"), new Labelled(15, new string('x', 3000), "ok")], labelled);
    }

    /// <summary>Runs a batch of <paramref name="items"/> through the batch method in this process, into <paramref name="result"/>, and decodes its outcomes.</summary>
    private static (ProcessMapJob<int, T> Job, ProcessBatchErrors Errors) RunBatch<T>(
        ProcessFunction<int, T> function, int[] items, IBufferWriter<byte> result, Func<byte[]> written)
    {
        var arguments = new ArrayBufferWriter<byte>();
        ProcessBatch.WriteHead(arguments, function.MethodId, items.Length);
        function.EncodeBatch!(items, arguments);
        Assert.True(ProcessDispatch.TryGet(ProcessBatch.MethodId, out ProcessMethod? batch));
        var job = new ProcessMapJob<int, T>(items, function, progress: null);
        var errors = new ProcessBatchErrors();

        batch.Invoke(arguments.WrittenSpan, result);
        job.ReadResults(0, items.Length, ProcessBatch.Outcomes(written(), items.Length), errors);
        return (job, errors);
    }

    private static byte[] Corrupt(string corruption, byte[] result)
    {
        switch (corruption)
        {
            case "truncated":
                return result[..^1];
            case "wrong count":
                BinaryPrimitives.WriteInt32LittleEndian(result, BinaryPrimitives.ReadInt32LittleEndian(result) + 1);
                return result;
            default:
                // The status of the batch's first task, right after the count.
                result[4] = 7;
                return result;
        }
    }

    private static ProcessPool FakePool(int workers, out FakeWorkerFactory factory, Func<PoolTaskFrame, byte[], byte[]>? tamperResult = null)
    {
        FakeWorkerFactory? created = null;
        var pool = new ProcessPool(
            $"BatchPool-{Interlocked.Increment(ref s_pools)}",
            name => created = new FakeWorkerFactory(name) { TamperResult = tamperResult },
            workers);
        factory = created!;
        return pool;
    }
}
