namespace ParallelDsl.Runtime.Tests.SharedMemory;

public class SharedValueInProcessTests
{
    private const int Threads = 4;
    private const int PerThread = 100_000;

    [Fact]
    public void Value_reads_back_what_was_written_and_the_initial_value()
    {
        using var value = new Shared<int>(41);
        Assert.Equal(41, value.Value);
        value.Value = -7;
        Assert.Equal(-7, value.Value);
        Assert.Equal("-7", value.ToString());
    }

    [Fact]
    public void Integer_extensions_return_the_new_value_and_unsigned_values_wrap()
    {
        using var i = new Shared<int>(10);
        using var l = new Shared<long>(long.MaxValue - 1);
        using var u = new Shared<uint>(0);
        using var ul = new Shared<ulong>(ulong.MaxValue);

        Assert.Equal(15, i.Add(5));
        Assert.Equal(16, i.Increment());
        Assert.Equal(15, i.Decrement());
        Assert.Equal(long.MaxValue, l.Increment());
        Assert.Equal(uint.MaxValue, u.Decrement());
        Assert.Equal(0UL, ul.Increment());
        Assert.Equal(7UL, ul.Add(7));
    }

    [Fact]
    public void Add_from_several_threads_loses_no_update()
    {
        using var counter = new Shared<int>();
        RunOnThreads(() => counter.Add(1));
        Assert.Equal(Threads * PerThread, counter.Value);
    }

    [Fact]
    public void Update_from_several_threads_loses_no_update()
    {
        using var counter = new Shared<long>();
        RunOnThreads(() => counter.Update(static v => v + 1));
        Assert.Equal(Threads * PerThread, counter.Value);
    }

    [Fact]
    public void Read_modify_write_under_Lock_from_several_threads_loses_no_update()
    {
        using var counter = new Shared<int>();
        RunOnThreads(() =>
        {
            using LockScope held = counter.Lock();
            counter.Value = counter.Value + 1;
        });
        Assert.Equal(Threads * PerThread, counter.Value);
    }

    [Fact]
    public void A_value_larger_than_eight_bytes_is_never_seen_torn()
    {
        using var triple = new Shared<Triple>(new Triple(0, 0, 0));
        int torn = 0;
        using var stop = new CancellationTokenSource();
        var reader = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Triple seen = triple.Value;
                if (seen.A != seen.B || seen.B != seen.C)
                {
                    Interlocked.Increment(ref torn);
                }
            }
        });
        reader.Start();

        const int Updates = 5_000;
        var writers = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < Updates; i++)
            {
                triple.Update(static t => new Triple(t.A + 1, t.B + 1, t.C + 1));
            }
        })).ToList();
        writers.ForEach(t => t.Start());
        writers.ForEach(t => t.Join());
        stop.Cancel();
        reader.Join();

        Assert.Equal(0, torn);
        Assert.Equal(new Triple(Threads * Updates, Threads * Updates, Threads * Updates), triple.Value);
    }

    [Fact]
    public void A_second_view_opened_from_the_handle_name_shares_the_memory()
    {
        using var original = new Shared<double>(1.5);
        using Shared<double> view = Shared<double>.OpenHandle(original.HandleName);

        view.Value = 2.25;

        Assert.Equal(2.25, original.Value);
        Assert.Equal(original.HandleName.Split(':')[^1], view.HandleName.Split(':')[^1]);
    }

    [Fact]
    public void Opening_a_handle_as_the_wrong_type_or_a_malformed_name_is_a_clear_error()
    {
        using var value = new Shared<int>(1);

        var wrongType = Assert.Throws<ArgumentException>(() => Shared<long>.OpenHandle(value.HandleName));
        Assert.Contains("Shared<Int64>", wrongType.Message, StringComparison.Ordinal);
        var wrongKind = Assert.Throws<ArgumentException>(() => SharedArray<int>.OpenHandle(value.HandleName));
        Assert.Contains("SharedArray<Int32>", wrongKind.Message, StringComparison.Ordinal);
        var malformed = Assert.Throws<ArgumentException>(() => Shared<int>.OpenHandle("not-a-handle"));
        Assert.Contains("pdsl-shm:<pid>:<fd>:<id>", malformed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_handle_whose_holder_disposed_it_cannot_be_opened()
    {
        var value = new Shared<int>(1);
        string handle = value.HandleName;
        value.Dispose();

        Assert.Throws<InvalidOperationException>(() => Shared<int>.OpenHandle(handle));
    }

    [Fact]
    public void Use_after_dispose_throws_ObjectDisposedException()
    {
        var value = new Shared<int>(1);
        value.Dispose();
        value.Dispose();

        Assert.True(value.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => value.Value);
        Assert.Throws<ObjectDisposedException>(() => value.Value = 2);
        Assert.Throws<ObjectDisposedException>(() => value.Add(1));
        Assert.Throws<ObjectDisposedException>(() => value.HandleName);
        Assert.Throws<ObjectDisposedException>(() => { using LockScope held = value.Lock(); });
        Assert.Equal("(disposed)", value.ToString());
    }

    private static void RunOnThreads(Action step)
    {
        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                step();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
    }

    private readonly record struct Triple(long A, long B, long C);
}
