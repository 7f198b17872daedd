using static ParallelDsl.Tests.Processes.ProcessSubjects;

namespace ParallelDsl.Tests.Processes;

/// <summary>
/// Real worker processes started from the test host: they run through the worker host (a startup hook), since
/// the test host has no guarded Main.
/// </summary>
public sealed class ProcessHandleTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    [Fact]
    public void Join_returns_the_result_computed_in_another_process()
    {
        using ProcessHandle<int> handle = StartSquare(7);

        Assert.NotEqual(Environment.ProcessId, handle.Pid);
        Assert.Equal(49, handle.Join());
        Assert.Equal(49, handle.Result);
        Assert.Equal(0, handle.ExitCode);
        Assert.False(handle.IsAlive);
        Assert.Null(handle.Exception);
    }

    [Fact]
    public async Task Handles_can_be_awaited_and_joined_asynchronously()
    {
        using ProcessHandle<int> first = StartSquare(3);
        using ProcessHandle<int> second = StartSquare(-4);

        Assert.Equal(9, await first);
        Assert.Equal(16, await second.JoinAsync(CancellationToken.None).WaitAsync(Safety));
    }

    [Fact]
    public void An_exception_in_the_child_comes_back_as_a_RemoteException()
    {
        using ProcessHandle handle = StartThrow("the disk is full");

        handle.Join();

        RemoteException error = Assert.IsType<RemoteException>(handle.Exception);

        Assert.Equal("System.InvalidOperationException", error.RemoteTypeName);
        Assert.Equal("the disk is full", error.RemoteMessage);
        Assert.Contains("ThrowFromWorker", error.RemoteStackTrace, StringComparison.Ordinal);
        Assert.Equal(handle.Pid, error.ProcessId);
        Assert.Equal(handle.Name, error.ProcessName);
        Assert.Equal($"System.InvalidOperationException in process '{handle.Name}' (pid {handle.Pid}): the disk is full", error.Message);
        Assert.Contains("remote stack trace", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("ThrowFromWorker", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, handle.ExitCode);
        Assert.Same(error, Assert.Throws<RemoteException>(() => handle.Completion.GetAwaiter().GetResult()));
    }

    [Fact]
    public void Join_with_a_timeout_is_false_while_the_child_runs_and_Kill_ends_it_with_SIGKILL()
    {
        using ProcessHandle handle = StartSleep();

        Assert.False(handle.Join(TimeSpan.FromMilliseconds(200)));
        Assert.True(handle.IsAlive);
        Assert.Null(handle.ExitCode);

        handle.Kill();

        // As Python's join() after kill(): it returns, and the exit code tells.
        Assert.True(handle.Join(Safety));
        handle.Join();
        var error = Assert.IsType<ProcessTerminatedException>(handle.Exception);
        Assert.Equal(9, error.Signal);
        Assert.Equal(137, handle.ExitCode);
        Assert.False(handle.IsAlive);
        Assert.Contains("SIGKILL", error.Message, StringComparison.Ordinal);
        Assert.Contains(handle.Name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Terminate_ends_the_child_with_SIGTERM()
    {
        using ProcessHandle handle = StartSleep();
        Assert.False(handle.Join(TimeSpan.FromMilliseconds(200)));

        handle.Terminate();

        Assert.True(handle.Join(Safety));
        var error = Assert.IsType<ProcessTerminatedException>(handle.Exception);
        Assert.Equal(15, error.Signal);
        Assert.Equal(143, handle.ExitCode);
    }

    [Fact]
    public void A_child_that_fails_fast_is_reported_as_terminated_by_SIGABRT()
    {
        using ProcessHandle handle = StartFailFast();

        Assert.True(handle.Join(Safety));
        var error = Assert.IsType<ProcessTerminatedException>(handle.Exception);

        Assert.Equal(6, error.Signal);
        Assert.Equal(134, handle.ExitCode);
    }

    [Fact]
    public void A_child_that_exits_on_its_own_is_reported_with_its_exit_code()
    {
        using ProcessHandle handle = StartExit(42);

        Assert.True(handle.Join(Safety));
        var error = Assert.IsType<ProcessTerminatedException>(handle.Exception);

        Assert.Null(error.Signal);
        Assert.Equal(42, error.ExitCode);
        Assert.Equal(42, handle.ExitCode);
        Assert.Contains("exited with code 42", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_kills_a_running_child()
    {
        ProcessHandle handle = StartSleep();
        int pid = handle.Pid;
        Assert.True(handle.IsAlive);

        handle.Dispose();

        Assert.False(ProcessTree.IsRunning(pid));
    }

    [Fact]
    public void A_child_outlives_the_short_lived_thread_that_started_it()
    {
        // Linux sends the parent-death signal when the thread that forked a child ends; children must not die
        // with the thread that happened to call the launcher.
        ProcessHandle<int>? handle = null;
        var starter = new Thread(() =>
        {
            handle = StartDelay(3000);
            Assert.False(handle.Join(TimeSpan.FromSeconds(1)));
        });
        starter.Start();
        starter.Join();

        using (handle)
        {
            Assert.NotNull(handle);
            Assert.Equal(3000, handle.Join());
            Assert.Equal(0, handle.ExitCode);
        }
    }

    [Fact]
    public void CurrentProcess_describes_the_worker_inside_the_child()
    {
        using ProcessHandle<string> handle = StartWhoAmI(new ProcessOptions { Name = "inspector" });

        string[] fields = handle.Join().Split('|');

        Assert.Equal("inspector", handle.Name);
        Assert.Equal(["inspector", handle.Pid.ToString(), Environment.ProcessId.ToString(), "True"], fields);
    }

    [Fact]
    public void A_worker_can_start_workers_of_its_own()
    {
        using ProcessHandle<string> child = StartNestedWhoAmI();

        string[] parts = child.Join().Split('>');

        Assert.Equal(child.Pid.ToString(), parts[0]);
        string[] grandchild = parts[1].Split('|');
        Assert.Equal("grandchild", grandchild[0]);
        Assert.NotEqual(child.Pid.ToString(), grandchild[1]);
        Assert.Equal(child.Pid.ToString(), grandchild[2]);
        Assert.Equal("True", grandchild[3]);
    }

    [Fact]
    public void CurrentProcess_describes_the_main_process()
    {
        Assert.Equal("MainProcess", CurrentProcess.Name);
        Assert.Equal(Environment.ProcessId, CurrentProcess.Id);
        Assert.Null(CurrentProcess.ParentId);
        Assert.False(CurrentProcess.IsWorker);
    }

    [Fact]
    public void Children_get_a_running_number_after_the_method_name_and_options_override_daemon()
    {
        using ProcessHandle<int> first = StartSquare(1);
        using ProcessHandle<int> second = StartSquare(2, new ProcessOptions { Daemon = true });

        Assert.Matches("^Square-[0-9]+$", first.Name);
        Assert.Matches("^Square-[0-9]+$", second.Name);
        Assert.NotEqual(first.Name, second.Name);
        Assert.False(first.IsDaemon);
        Assert.True(second.IsDaemon);
        Assert.Equal(1, first.Join());
        Assert.Equal(4, second.Join());
    }

    [Fact]
    public void Per_call_options_set_the_name_the_child_sees_and_its_daemon_flag()
    {
        using ProcessHandle<string> named = StartWhoAmI(new ProcessOptions { Name = "reporter", Daemon = true });
        using ProcessHandle<string> plain = StartWhoAmI();

        Assert.Equal("reporter", named.Name);
        Assert.True(named.IsDaemon);
        Assert.False(plain.IsDaemon);
        Assert.Equal("reporter", named.Join().Split('|')[0]);
        Assert.Equal(plain.Name, plain.Join().Split('|')[0]);
        Assert.Matches("^WhoAmI-[0-9]+$", plain.Name);
    }

    [Fact]
    public void An_async_method_runs_to_completion_in_the_child_before_its_result_comes_back()
    {
        using ProcessHandle<string> counting = StartCountSlowlyAsync(5, new ProcessOptions { Name = "counter" });

        Assert.Equal("1,2,3,4,5 in counter", counting.Join());
        Assert.Equal(0, counting.ExitCode);
    }

    [Fact]
    public async Task An_async_method_that_throws_after_an_await_comes_back_as_a_RemoteException()
    {
        using ProcessHandle failing = StartFailAfterAwaitAsync("failed after awaiting");

        RemoteException error = await Assert.ThrowsAsync<RemoteException>(async () => await failing);

        Assert.Equal("System.InvalidOperationException", error.RemoteTypeName);
        Assert.Equal("failed after awaiting", error.RemoteMessage);
        Assert.Equal(1, failing.ExitCode);
    }

    [Fact]
    public void A_mebibyte_of_arguments_round_trips_unchanged()
    {
        byte[] data = new byte[1024 * 1024];
        new Random(7).NextBytes(data);

        using ProcessHandle<byte[]> handle = StartEcho(data);

        Assert.Equal(data, handle.Join());
    }

    [Fact]
    public void Text_of_a_handle_names_the_child()
    {
        using ProcessHandle<int> handle = StartSquare(5, new ProcessOptions { Name = "five" });
        handle.Join();

        Assert.Equal($"ProcessHandle(five, pid {handle.Pid}, exit code 0)", handle.ToString());
        Assert.Equal(25, handle.Result);
    }
}
