namespace ParallelDsl.Runtime.Tests.SharedMemory;

/// <summary>
/// <c>[SharedValue]</c> properties across processes: this test process is the main process of the program session, and
/// fixture children started with the session id are its workers.
/// </summary>
public class SharedValuePropertyTests
{
    [Fact]
    public void A_worker_sees_the_initial_value_of_a_property_the_main_process_never_touched()
    {
        using FixtureProcess worker = FixtureProcess.Start("value-read", nameof(SharedFixtureState.UntouchedInitial));
        Assert.Equal("5", worker.Succeeds().Trim());
    }

    [Fact]
    public void A_value_set_before_starting_a_worker_is_what_the_worker_reads()
    {
        SharedFixtureState.SetBeforeStart.Value = 1234;
        using FixtureProcess worker = FixtureProcess.Start("value-read", nameof(SharedFixtureState.SetBeforeStart));
        Assert.Equal("1234", worker.Succeeds().Trim());
    }

    [Fact]
    public void Workers_incrementing_a_shared_property_lose_no_update()
    {
        long before = SharedFixtureState.Total.Value;
        var workers = Enumerable.Range(0, 4).Select(_ => FixtureProcess.Start("value-add", "100000")).ToList();
        try
        {
            workers.ForEach(worker => worker.Succeeds());
        }
        finally
        {
            workers.ForEach(worker => worker.Dispose());
        }

        Assert.Equal(before + 400_000, SharedFixtureState.Total.Value);
    }

    [Fact]
    public void An_array_property_filled_by_a_worker_is_seen_by_the_main_process()
    {
        Assert.Equal("[-1, -1, -1, -1, -1, -1, -1, -1]", SharedFixtureState.Squares.ToString());
        using (FixtureProcess worker = FixtureProcess.Start("squares-write"))
        {
            worker.Succeeds();
        }

        Assert.Equal("[0, 1, 4, 9, 16, 25, 36, 49]", SharedFixtureState.Squares.ToString());
    }

    [Fact]
    public void A_worker_cannot_find_a_private_nested_property_the_main_process_never_read_and_says_so()
    {
        using FixtureProcess worker = FixtureProcess.Start("hidden-read", "untouched");
        string errors = worker.Fails();
        Assert.Contains("'ParallelDsl.Runtime.Tests.SharedMemory.SharedFixtureState.Hidden.Untouched' was not created by the main process", errors, StringComparison.Ordinal);
        Assert.Contains("read it in the main process before starting workers", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_private_nested_property_read_by_the_main_process_first_is_shared_with_workers()
    {
        Assert.Equal(9, SharedFixtureState.ReadHidden(touchedFirst: true));
        using FixtureProcess worker = FixtureProcess.Start("hidden-read", "touched-first");
        Assert.Equal("9", worker.Succeeds().Trim());
    }

    [Fact]
    public void Property_objects_are_one_per_process_and_live_for_the_program_run()
    {
        Shared<long> total = SharedFixtureState.Total;
        Assert.Same(total, SharedFixtureState.Total);
        Assert.True(total.IsProgramLifetime);

        total.Dispose();

        Assert.False(total.IsDisposed);
        _ = total.Value;
    }
}
