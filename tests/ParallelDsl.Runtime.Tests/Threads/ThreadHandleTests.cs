namespace ParallelDsl.Runtime.Tests.Threads;

/// <summary>The behaviour of the handles returned by generated <c>[RunInThread]</c> launchers.</summary>
public sealed class ThreadHandleTests
{
    private static readonly TimeSpan Safety = ThreadWorkers.SafetyTimeout;

    [Fact]
    public void Join_with_a_timeout_is_false_while_the_method_runs_and_true_once_it_ended()
    {
        using var release = new ManualResetEventSlim();
        ThreadHandle handle = ThreadWorkers.StartWaitFor(release);
        try
        {
            Assert.False(handle.Join(TimeSpan.FromMilliseconds(50)));
            Assert.True(handle.IsAlive);
        }
        finally
        {
            release.Set();
        }

        Assert.True(handle.Join(Safety));
        Assert.False(handle.IsAlive);
        Assert.Null(handle.Exception);
    }

    [Fact]
    public void IsAlive_is_true_from_the_start_until_the_method_returns()
    {
        using var release = new ManualResetEventSlim();
        ThreadHandle handle = ThreadWorkers.StartWaitFor(release);

        Assert.True(handle.IsAlive);
        Assert.False(handle.Completion.IsCompleted);
        release.Set();
        handle.Join();

        Assert.False(handle.IsAlive);
        Assert.True(handle.Completion.IsCompletedSuccessfully);
        Assert.Contains("ended", handle.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Result_and_Join_return_the_method_result()
    {
        ThreadHandle<int> handle = ThreadWorkers.StartAdd(2, 3);

        Assert.Equal(5, handle.Join());
        Assert.Equal(5, handle.Result);
    }

    [Fact]
    public void An_instance_method_runs_on_its_instance()
    {
        var accumulator = new Accumulator(40);

        Assert.Equal(42, accumulator.StartAddTo(2).Result);
    }

    [Fact]
    public void Keyword_named_default_and_params_parameters_reach_the_method()
    {
        Assert.Equal("a:7:none:0", ThreadWorkers.StartDescribe("a").Result);
        Assert.Equal("b:1:hi:6", ThreadWorkers.StartDescribe(@class: "b", @event: 1, note: "hi", 1, 2, 3).Result);
    }

    [Fact]
    public void Join_of_a_void_handle_returns_and_Exception_holds_what_the_method_threw()
    {
        ThreadHandle handle = ThreadWorkers.StartFail("boom");

        handle.Join();

        var thrown = Assert.IsType<InvalidOperationException>(handle.Exception);
        Assert.True(handle.Join(Safety));
        Assert.Equal("boom", thrown.Message);
        Assert.Contains("ThrowFromDeepInside", thrown.StackTrace, StringComparison.Ordinal);
        Assert.Contains(nameof(ThreadWorkers.Fail), thrown.StackTrace, StringComparison.Ordinal);
        Assert.Same(thrown, Assert.Throws<InvalidOperationException>(() => handle.Completion.GetAwaiter().GetResult()));
        Assert.False(handle.IsAlive);
    }

    [Fact]
    public void Every_way_of_asking_for_the_result_rethrows_the_same_exception()
    {
        ThreadHandle<int> handle = ThreadWorkers.StartFailWithResult("bad input");

        var fromJoin = Assert.Throws<InvalidOperationException>(() => handle.Join());
        var fromResult = Assert.Throws<InvalidOperationException>(() => handle.Result);

        // Join(timeout) only says whether the thread ended; the result, here an exception, is Result's.
        Assert.True(handle.Join(Safety));
        Assert.Equal("bad input", fromJoin.Message);
        Assert.Same(fromJoin, fromResult);
        Assert.Same(fromJoin, handle.Exception);
        Assert.Contains("ThrowFromDeepInside", fromResult.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_async_method_exception_reaches_await_and_JoinAsync_only_waits()
    {
        ThreadHandle handle = ThreadWorkers.StartFailAsync("late failure");

        var awaited = await Assert.ThrowsAsync<InvalidOperationException>(async () => await handle);
        await handle.JoinAsync().WaitAsync(Safety);

        Assert.Equal("late failure", awaited.Message);
        Assert.Same(awaited, handle.Exception);
        Assert.Contains("ThrowFromDeepInside", awaited.StackTrace, StringComparison.Ordinal);
        handle.Join();
    }

    [Fact]
    public async Task JoinAsync_of_a_void_handle_can_still_be_cancelled()
    {
        using var release = new ManualResetEventSlim();
        ThreadHandle handle = ThreadWorkers.StartWaitFor(release);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handle.JoinAsync(cancel.Token));

        Assert.True(handle.IsAlive);
        release.Set();
        await handle.JoinAsync().WaitAsync(Safety);
        Assert.Null(handle.Exception);
    }

    [Fact]
    public void Per_call_ThreadOptions_override_the_attribute_name_and_daemon()
    {
        ThreadHandle<string?> named = ThreadWorkers.StartNamedThreadName(new ThreadOptions { Name = "worker-7" });
        ThreadHandle<bool> daemon = ThreadWorkers.StartIsBackground(new ThreadOptions { Daemon = true });
        ThreadHandle<bool> notDaemon = ThreadWorkers.StartIsBackgroundAsDaemon(new ThreadOptions { Daemon = false });
        ThreadHandle<string?> kept = ThreadWorkers.StartNamedThreadName(new ThreadOptions());

        Assert.Equal("worker-7", named.Result);
        Assert.Equal("worker-7", named.Name);
        Assert.True(daemon.Result);
        Assert.True(daemon.IsDaemon);
        Assert.False(notDaemon.Result);
        Assert.Equal("reporter", kept.Result);
        Assert.Throws<ArgumentNullException>(() => ThreadWorkers.StartIsBackground(null!));
    }

    [Fact]
    public void A_daemon_runs_on_a_background_thread_and_a_default_thread_does_not()
    {
        ThreadHandle<bool> daemon = ThreadWorkers.StartIsBackgroundAsDaemon();
        ThreadHandle<bool> normal = ThreadWorkers.StartIsBackground();

        Assert.True(daemon.IsDaemon);
        Assert.True(daemon.Result);
        Assert.False(normal.IsDaemon);
        Assert.False(normal.Result);
    }

    [Fact]
    public void An_unnamed_thread_is_named_after_its_method_with_a_running_number()
    {
        ThreadHandle<string?> first = ThreadWorkers.StartCurrentThreadName();
        ThreadHandle<string?> second = ThreadWorkers.StartCurrentThreadName();

        Assert.Matches("^CurrentThreadName-[0-9]+$", first.Name);
        Assert.Matches("^CurrentThreadName-[0-9]+$", second.Name);
        Assert.NotEqual(first.Name, second.Name);
        Assert.Equal(first.Name, first.Result);
        Assert.Equal(second.Name, second.Result);
    }

    [Fact]
    public void A_named_thread_carries_the_attribute_name()
    {
        ThreadHandle<string?> handle = ThreadWorkers.StartNamedThreadName();

        Assert.Equal("reporter", handle.Name);
        Assert.Equal("reporter", handle.Result);
    }

    [Fact]
    public void MaxConcurrency_is_never_exceeded_across_fifty_concurrent_starts()
    {
        var probe = new ConcurrencyProbe();
        var handles = new List<ThreadHandle>();
        try
        {
            for (int i = 0; i < 50; i++)
            {
                handles.Add(ThreadWorkers.StartLimited(probe));
            }

            Assert.True(SpinWait.SpinUntil(() => probe.Running == 3, Safety), "three calls never ran at once");

            // The other 47 threads have started and wait at the gate; none may get past it while three hold it.
            Assert.Equal(50, handles.Count(handle => handle.IsAlive));
            Assert.Equal(3, probe.Running);
        }
        finally
        {
            probe.Release();
        }

        Assert.All(handles, handle => Assert.True(handle.Join(Safety)));
        Assert.Equal(50, probe.Completed);
        Assert.Equal(3, probe.Peak);
    }

    [Fact]
    public void An_async_method_runs_every_continuation_on_its_own_thread()
    {
        ThreadHandle<int[]> handle = ThreadWorkers.StartThreadIdsAcrossAwaits();

        int[] ids = handle.Result;

        Assert.Equal(4, ids.Length);
        Assert.All(ids, id => Assert.Equal(handle.ManagedThreadId, id));
    }

    [Fact]
    public void Every_task_shape_stays_on_its_own_thread()
    {
        ThreadHandle<int[]> valueTaskOfT = ThreadWorkers.StartThreadIdsAcrossValueTaskAwaits();
        var taskIds = new List<int>();
        ThreadHandle task = ThreadWorkers.StartRecordThreadIdsAcrossAwaits(taskIds);
        var valueTaskIds = new List<int>();
        ThreadHandle valueTask = ThreadWorkers.StartRecordThreadIdsAcrossValueTaskAwaits(valueTaskIds);

        Assert.All(valueTaskOfT.Result, id => Assert.Equal(valueTaskOfT.ManagedThreadId, id));
        Assert.True(task.Join(Safety));
        Assert.True(valueTask.Join(Safety));
        Assert.Equal([task.ManagedThreadId, task.ManagedThreadId], taskIds);
        Assert.Equal([valueTask.ManagedThreadId, valueTask.ManagedThreadId], valueTaskIds);
    }

    [Fact]
    public async Task Cancelling_JoinAsync_stops_the_wait_but_not_the_thread()
    {
        using var release = new ManualResetEventSlim();
        using var cancellation = new CancellationTokenSource();
        ThreadHandle handle = ThreadWorkers.StartWaitFor(release);
        try
        {
            Task join = handle.JoinAsync(cancellation.Token);
            await cancellation.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => join);
            Assert.True(handle.IsAlive);
        }
        finally
        {
            release.Set();
        }

        await handle.JoinAsync().WaitAsync(Safety);
        Assert.False(handle.IsAlive);
    }

    [Fact]
    public async Task Cancelling_JoinAsync_of_a_result_handle_stops_the_wait()
    {
        using var release = new ManualResetEventSlim();
        using var cancellation = new CancellationTokenSource();
        ThreadHandle<int> handle = ThreadWorkers.StartWaitThenReturn(release, 2);
        try
        {
            Task<int> join = handle.JoinAsync(cancellation.Token);
            await cancellation.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => join);
            Assert.True(handle.IsAlive);
        }
        finally
        {
            release.Set();
        }

        Assert.Equal(2, await handle.JoinAsync().WaitAsync(Safety));
    }

    [Fact]
    public async Task A_handle_can_be_awaited()
    {
        int sum = await ThreadWorkers.StartAdd(20, 22);
        using var release = new ManualResetEventSlim(initialState: true);
        ThreadHandle handle = ThreadWorkers.StartWaitFor(release);

        await handle;

        Assert.Equal(42, sum);
        Assert.False(handle.IsAlive);
    }

    [Fact]
    public void A_thread_that_joins_itself_gets_an_exception_instead_of_waiting_for_ever()
    {
        var self = new TaskCompletionSource<ThreadHandle>(TaskCreationOptions.RunContinuationsAsynchronously);
        ThreadHandle<string> handle = ThreadWorkers.StartJoinSelf(self.Task);
        self.SetResult(handle);

        Assert.True(handle.Join(Safety));
        string[] messages = handle.Result.Split('|');
        Assert.Equal(2, messages.Length);
        Assert.All(messages, message => Assert.Contains($"'{handle.Name}' cannot join itself", message, StringComparison.Ordinal));
    }
}
