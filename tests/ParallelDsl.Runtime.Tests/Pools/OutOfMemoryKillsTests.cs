using ParallelDsl;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// Where Linux tells that the OOM killer struck: the <c>oom_kill</c> counter of the process's memory cgroup, under
/// cgroup v2 (<c>memory.events</c>) or v1 (<c>memory.oom_control</c>), as a container or a host mounts them.
/// </summary>
public sealed class OutOfMemoryKillsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("oom-kills-").FullName;

    [Fact]
    public void Cgroup_v2_counts_are_read_from_memory_events_of_the_process_cgroup()
    {
        Write("app.slice/worker/memory.events", "low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n");

        Assert.Equal(2, OutOfMemoryKills.Read("0::/app.slice/worker\n", _root));
    }

    [Fact]
    public void Cgroup_v1_counts_are_read_from_the_memory_controller_even_when_a_container_mounts_its_own_cgroup_as_root()
    {
        Write("memory/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 5\n");

        Assert.Equal(5, OutOfMemoryKills.Read("4:memory:/process_api/1da2\n3:cpuset:/\n0::/\n", _root));
    }

    [Fact]
    public void No_readable_counter_is_no_answer_rather_than_zero()
    {
        Write("memory/memory.oom_control", "oom_kill_disable 0\n");

        Assert.Null(OutOfMemoryKills.Read("4:memory:/x\n0::/\n", _root));
        Assert.Null(OutOfMemoryKills.Read("garbage", _root));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string path, string text)
    {
        string file = Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
    }
}
