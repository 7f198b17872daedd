namespace ParallelDsl.Runtime.Tests.SharedMemory;

public class SharedArrayInProcessTests
{
    [Fact]
    public void Elements_start_with_the_initial_value_and_format_like_a_list()
    {
        using var array = new SharedArray<int>(3, 7);
        Assert.Equal(3, array.Length);
        Assert.Equal("[7, 7, 7]", array.ToString());
        array[1] = 1;
        Assert.Equal("[7, 1, 7]", array.ToString());
    }

    [Fact]
    public void An_array_created_from_values_copies_them_and_converts_back()
    {
        using var array = new SharedArray<double>([0.5, 1.5, 2.5]);
        Assert.Equal([0.5, 1.5, 2.5], array.ToArray());

        var copy = new double[4];
        array.CopyTo(copy);
        Assert.Equal([0.5, 1.5, 2.5, 0], copy);

        double sum = 0;
        foreach (double element in array)
        {
            sum += element;
        }

        Assert.Equal(4.5, sum);
    }

    [Fact]
    public void The_span_and_a_second_view_write_the_same_memory()
    {
        using var array = new SharedArray<long>(4);
        using SharedArray<long> view = SharedArray<long>.OpenHandle(array.HandleName);

        array.AsSpan().Fill(9);
        view[3] = 4;

        Assert.Equal(4, view.Length);
        Assert.Equal([9, 9, 9, 4], array.ToArray());
    }

    [Fact]
    public void The_indexer_returns_a_reference_that_interlocked_operations_can_use()
    {
        using var array = new SharedArray<int>(2);
        Parallel.For(0, 10_000, _ => Interlocked.Increment(ref array[1]));
        Assert.Equal("[0, 10000]", array.ToString());
    }

    [Fact]
    public void A_bad_index_or_a_short_destination_is_a_clear_error()
    {
        using var array = new SharedArray<int>(3);

        var beyond = Assert.Throws<ArgumentOutOfRangeException>(() => array[3]);
        Assert.Contains("Index 3 is outside the shared array of length 3", beyond.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => array[-1]);
        var shortDestination = Assert.Throws<ArgumentException>(() => array.CopyTo(new int[2]));
        Assert.Contains("holds 2 elements", shortDestination.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedArray<int>(-1));
    }

    [Fact]
    public void Long_arrays_are_summarised_in_ToString()
    {
        using var array = new SharedArray<byte>(150);
        string text = array.ToString();
        Assert.StartsWith("[0, 0, ", text, StringComparison.Ordinal);
        Assert.EndsWith(", … (50 more)]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Use_after_dispose_throws_ObjectDisposedException()
    {
        var array = new SharedArray<int>(2);
        array.Dispose();

        Assert.Throws<ObjectDisposedException>(() => array[0]);
        Assert.Throws<ObjectDisposedException>(() => array.AsSpan());
        Assert.Throws<ObjectDisposedException>(() => array.ToArray());
    }
}
