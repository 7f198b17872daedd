using ParallelDsl.Runtime.Tests.Pools;
using ParallelDsl.Runtime.Tests.Threads;
using static ParallelDsl.Tests.Processes.ProcessSubjects;

namespace ParallelDsl.Tests.Processes;

/// <summary>
/// The joins of a handle without a result return whatever the outcome, so a failure is written to standard error as
/// Python prints a thread's or child's traceback; handles with a result throw it instead and print nothing. These
/// tests replace the process's standard error, so they run alone.
/// </summary>
[Collection(nameof(ProcessWideSettings))]
public sealed class FailureReportTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_void_thread_that_throws_is_reported_on_standard_error_before_Join_returns()
    {
        string error = CaptureStandardError(() =>
        {
            ThreadHandle handle = ThreadWorkers.StartFail("reported failure");
            handle.Join();
            Assert.NotNull(handle.Exception);
            return handle.Name;
        }, out string name);

        Assert.Contains($"Exception in thread '{name}':", error, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: reported failure", error, StringComparison.Ordinal);
        Assert.Contains("ThrowFromDeepInside", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_thread_with_a_result_throws_from_Result_and_prints_nothing()
    {
        string error = CaptureStandardError(() =>
        {
            ThreadHandle<int> handle = ThreadWorkers.StartFailWithResult("kept for Result");
            Assert.Throws<InvalidOperationException>(() => handle.Result);
            return 0;
        }, out _);

        Assert.DoesNotContain("kept for Result", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_void_child_that_throws_is_reported_with_its_name_and_pid()
    {
        string error = CaptureStandardError(() =>
        {
            using ProcessHandle handle = StartThrow("the child's failure");
            Assert.True(handle.Join(Safety));
            Assert.IsType<RemoteException>(handle.Exception);
            return $"process '{handle.Name}' (pid {handle.Pid})";
        }, out string who);

        Assert.Contains($"Exception in {who}:", error, StringComparison.Ordinal);
        Assert.Contains("the child's failure", error, StringComparison.Ordinal);
        Assert.Contains("ThrowFromWorker", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_child_killed_through_its_handle_is_not_reported()
    {
        string error = CaptureStandardError(() =>
        {
            using ProcessHandle handle = StartSleep();
            Assert.False(handle.Join(TimeSpan.FromMilliseconds(100)));
            handle.Kill();
            Assert.True(handle.Join(Safety));
            Assert.Equal(137, handle.ExitCode);
            return handle.Pid;
        }, out int pid);

        Assert.DoesNotContain($"(pid {pid})", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_child_with_a_result_that_is_killed_throws_from_Join_and_Result()
    {
        using ProcessHandle<int> handle = StartDelay(60_000);
        handle.Kill();

        var fromJoin = Assert.Throws<ProcessTerminatedException>(() => handle.Join());
        var fromResult = Assert.Throws<ProcessTerminatedException>(() => handle.Result);

        Assert.Equal(9, fromJoin.Signal);
        Assert.Same(fromJoin, fromResult);
        Assert.Same(fromJoin, handle.Exception);
    }

    private static string CaptureStandardError<T>(Func<T> run, out T value)
    {
        TextWriter original = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(TextWriter.Synchronized(captured));
        try
        {
            value = run();
        }
        finally
        {
            Console.SetError(original);
        }

        return captured.ToString();
    }
}
