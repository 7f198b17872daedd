using ParallelDsl;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>The rule that sizes batches: grow while batches are quick, shrink when they are slow, within bounds.</summary>
public sealed class PoolBatchSizerTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromMilliseconds(0.1);

    [Fact]
    public void Starts_at_one_task_and_doubles_while_batches_are_quick_up_to_the_maximum()
    {
        var sizer = new PoolBatchSizer();
        var sizes = new List<int> { sizer.Size };

        for (int i = 0; i < 30; i++)
        {
            sizer.Observe(sizer.Size, Quick, sizer.Size * 5L);
            sizes.Add(sizer.Size);
        }

        Assert.Equal([1, 2, 4, 8, 16], sizes.Take(5));
        Assert.Equal(PoolBatchSizer.MaxTasks, sizes[^1]);
        Assert.All(sizes, size => Assert.InRange(size, 1, PoolBatchSizer.MaxTasks));
    }

    [Fact]
    public void A_slow_batch_shrinks_the_next_toward_the_quick_time_and_never_below_one_task()
    {
        var sizer = Grown(1024);

        sizer.Observe(1024, PoolBatchSizer.Fast * 16, 1024);
        Assert.Equal(64, sizer.Size);

        sizer.Observe(64, TimeSpan.FromSeconds(30), 64);
        Assert.Equal(1, sizer.Size);

        sizer.Observe(1, TimeSpan.FromSeconds(30), 1);
        Assert.Equal(1, sizer.Size);
    }

    [Fact]
    public void Batches_between_quick_and_slow_keep_the_size()
    {
        var sizer = Grown(256);

        sizer.Observe(256, (PoolBatchSizer.Fast + PoolBatchSizer.Slow) / 2, 256);

        Assert.Equal(256, sizer.Size);
    }

    [Fact]
    public void A_quick_short_tail_batch_does_not_grow_the_size()
    {
        var sizer = Grown(256);

        sizer.Observe(3, Quick, 3);

        Assert.Equal(256, sizer.Size);
    }

    [Fact]
    public void Large_tasks_keep_a_batch_under_the_byte_bound()
    {
        var sizer = Grown(4096);

        // 4,096 tasks of 10 KiB each: the next batch holds what fits in MaxBytes.
        sizer.Observe(4096, Quick, 4096L * 10 * 1024);

        Assert.Equal(PoolBatchSizer.MaxBytes / (10 * 1024), sizer.Size);
        sizer.Observe(1, Quick, 64L * 1024 * 1024);
        Assert.Equal(1, sizer.Size);
    }

    [Fact]
    public void Reset_starts_again_from_one_task()
    {
        var sizer = Grown(512);

        sizer.Reset();

        Assert.Equal(1, sizer.Size);
    }

    private static PoolBatchSizer Grown(int size)
    {
        var sizer = new PoolBatchSizer();
        while (sizer.Size < size)
        {
            sizer.Observe(sizer.Size, Quick, sizer.Size);
        }

        Assert.Equal(size, sizer.Size);
        return sizer;
    }
}
