using System.Globalization;

namespace ParallelDsl.Runtime.Tests.SharedMemory;

/// <summary>Shared memory and synchronization between this process and real child processes of the fixture program.</summary>
public class CrossProcessTests
{
    private const int Workers = 4;
    private const int PerWorker = 100_000;

    [Theory]
    [InlineData("add")]
    [InlineData("update")]
    [InlineData("lock-add")]
    public void Four_processes_adding_one_a_hundred_thousand_times_lose_no_update(string mode)
    {
        using var counter = new Shared<int>();
        RunWorkers(mode, counter.HandleName, PerWorker.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Workers * PerWorker, counter.Value);
    }

    [Fact]
    public void An_array_written_by_a_child_is_seen_by_the_parent_without_copying()
    {
        using var array = new SharedArray<int>(5, -1);
        using (FixtureProcess child = FixtureProcess.Start("array-squares", array.HandleName))
        {
            child.Succeeds();
        }

        Assert.Equal("[0, 1, 4, 9, 16]", array.ToString());
    }

    [Fact]
    public void A_child_killed_while_holding_the_lock_abandons_it_and_the_next_Lock_reports_that()
    {
        using var gate = new CrossProcessLock();
        using (FixtureProcess child = FixtureProcess.Start("hold-lock", gate.HandleName))
        {
            Assert.Equal("locked", child.ReadLine());
            Assert.False(gate.TryLock(TimeSpan.FromMilliseconds(100), out _));
            child.KillHard();
        }

        Assert.True(gate.TryLock(TimeSpan.FromSeconds(60), out LockScope scope));
        Assert.True(scope.WasAbandoned);
        scope.Dispose();
        using LockScope next = gate.Lock();
        Assert.False(next.WasAbandoned);
    }

    [Fact]
    public void Setting_an_event_wakes_waiting_children()
    {
        using var signal = new CrossProcessEvent();
        using var woken = new Shared<int>();
        var children = Enumerable.Range(0, 3).Select(_ => FixtureProcess.Start("event-wait", signal.HandleName, woken.HandleName)).ToList();
        try
        {
            children.ForEach(child => Assert.Equal("waiting", child.ReadLine()));
            Assert.Equal(0, woken.Value);

            signal.Set();

            children.ForEach(child => child.Succeeds());
            Assert.Equal(3, woken.Value);
        }
        finally
        {
            children.ForEach(child => child.Dispose());
        }
    }

    [Fact]
    public void A_semaphore_never_lets_more_processes_in_than_it_has_permits()
    {
        using var semaphore = new CrossProcessSemaphore(2, 2);
        using var inside = new Shared<int>();
        using var peak = new Shared<int>();

        RunWorkers("semaphore", semaphore.HandleName, inside.HandleName, peak.HandleName, "50");

        Assert.InRange(peak.Value, 1, 2);
        Assert.Equal(0, inside.Value);
        Assert.Equal(2, semaphore.CurrentCount);
    }

    [Fact]
    public void Segments_are_anonymous_memory_never_files_and_a_killed_creator_leaves_nothing_behind()
    {
        using FixtureProcess creator = FixtureProcess.Start("create-and-sleep", [], asMainProcess: true);
        string valueHandle = creator.ReadLine();
        string arrayHandle = creator.ReadLine();
        string lockHandle = creator.ReadLine();
        string sharedValueHandle = creator.ReadLine();
        Assert.Equal("ready", creator.ReadLine());

        string[] maps = File.ReadAllLines($"/proc/{creator.Id}/maps");
        // Three objects it created, and the four [SharedValue] properties its start-up created as the main process.
        Assert.Equal(7, maps.Count(line => line.Contains("/memfd:pdsl.", StringComparison.Ordinal)));
        Assert.DoesNotContain(maps, line => line.Contains("/dev/shm/", StringComparison.Ordinal));
        Assert.DoesNotContain(ShmEntries(), name => name.Contains("pdsl", StringComparison.OrdinalIgnoreCase));

        using Shared<int> value = Shared<int>.OpenHandle(valueHandle);
        using SharedArray<int> array = SharedArray<int>.OpenHandle(arrayHandle);
        Assert.Equal(42, value.Value);
        Assert.Equal(3, array[array.Length - 1]);

        creator.KillHard();

        Assert.DoesNotContain(ShmEntries(), name => name.Contains("pdsl", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(42, value.Value);
        var gone = Assert.Throws<InvalidOperationException>(() => CrossProcessLock.OpenHandle(lockHandle));
        Assert.Contains($"process {creator.Id} that shared it has exited", gone.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Shared<long>.OpenHandle(sharedValueHandle));
    }

    private static string[] ShmEntries() =>
        Directory.Exists("/dev/shm") ? Directory.GetFileSystemEntries("/dev/shm").Select(path => path["/dev/shm/".Length..]).ToArray() : [];

    private static void RunWorkers(string mode, params string[] arguments)
    {
        var workers = Enumerable.Range(0, Workers).Select(_ => FixtureProcess.Start(mode, arguments)).ToList();
        try
        {
            workers.ForEach(worker => worker.Succeeds());
        }
        finally
        {
            workers.ForEach(worker => worker.Dispose());
        }
    }
}
