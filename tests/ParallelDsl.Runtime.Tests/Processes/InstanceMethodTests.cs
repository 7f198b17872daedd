namespace ParallelDsl.Runtime.Tests.Processes;

/// <summary>Instance [RunInProcess] methods run in a real child process on a copy of their object.</summary>
public sealed class InstanceMethodTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromMinutes(1);

    [Fact]
    public void An_instance_method_runs_in_a_child_on_a_copy_of_the_instance()
    {
        var worker = new Worker { Name = "w1", Items = [1, 2, 3], Runs = 5 };

        using ProcessHandle<string> handle = worker.StartDescribe(10);
        Assert.True(handle.Join(Safety), "the child did not finish");

        Assert.Equal($"w1 60 runs=6 pid={handle.Pid}", handle.Result);
        Assert.NotEqual(Environment.ProcessId, handle.Pid);
    }

    [Fact]
    public void What_the_child_changes_on_its_copy_does_not_come_back()
    {
        var worker = new Worker { Name = "w2", Items = [4], Runs = 0 };

        using ProcessHandle<string> first = worker.StartDescribe(1);
        using ProcessHandle<string> second = worker.StartDescribe(1);
        Assert.True(first.Join(Safety) && second.Join(Safety), "a child did not finish");

        Assert.StartsWith("w2 4 runs=1 ", first.Result, StringComparison.Ordinal);
        Assert.StartsWith("w2 4 runs=1 ", second.Result, StringComparison.Ordinal);
        Assert.Equal(0, worker.Runs);
    }

    [Fact]
    public void A_struct_instance_method_runs_on_a_copy_of_the_value()
    {
        var scale = new Scale { Factor = 2.5 };

        using ProcessHandle<double> handle = scale.StartApply(4);
        Assert.True(handle.Join(Safety), "the child did not finish");

        Assert.Equal(10.0, handle.Result);
    }
}
