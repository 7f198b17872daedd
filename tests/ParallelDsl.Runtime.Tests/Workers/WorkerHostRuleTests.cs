using ParallelDsl.Tests.Processes;

namespace ParallelDsl.Runtime.Tests.Workers;

/// <summary>
/// Which programs start their workers through the worker host: the one rule for launchers and pools looks at the
/// program (did it reach the guard, does its entry assembly declare process methods), never at the launched method.
/// </summary>
public sealed class WorkerHostRuleTests
{
    [Fact]
    public void A_program_that_reached_its_guard_starts_workers_as_it_is()
    {
        Assert.False(WorkerHost.IsNeeded(guardReached: true, typeof(object).Assembly));
        Assert.False(WorkerHost.IsNeeded(guardReached: true, entry: null));
    }

    [Fact]
    public void A_program_without_a_guard_that_declares_no_process_method_starts_workers_through_the_host()
    {
        Assert.True(WorkerHost.IsNeeded(guardReached: false, typeof(object).Assembly));
        Assert.True(WorkerHost.IsNeeded(guardReached: false, entry: null));
    }

    [Fact]
    public void A_program_without_a_guard_that_declares_process_methods_starts_as_it_is_so_the_missing_guard_is_reported()
    {
        Assert.False(WorkerHost.IsNeeded(guardReached: false, typeof(ProcessSubjects).Assembly));
    }

    [Fact]
    public void The_test_host_is_a_program_that_needs_the_worker_host()
    {
        Assert.True(WorkerHost.IsNeeded());
    }
}
