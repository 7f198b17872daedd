using Microsoft.Coyote.Specifications;

namespace ParallelDsl.Coyote.Tests;

/// <summary>The job's start/cancel handshake and its completion, with reporters on several threads.</summary>
public class PoolJobTests
{
    [Fact]
    public void A_future_is_either_cancelled_before_it_starts_or_runs_never_both() => Systematic.Explore(async () =>
    {
        var job = new LocalCallJob<int>(_ => 1);
        Task<bool> start = Task.Run(job.TryStartTask);
        Task<bool> cancel = Task.Run(job.TryCancelBeforeStart);
        bool started = await start;
        bool cancelled = await cancel;

        Specification.Assert(started != cancelled, $"started={started}, cancelled={cancelled}: exactly one must win.");
        Specification.Assert(job.HasStarted == started, "HasStarted disagrees with the start that won.");
    });

    [Fact]
    public void A_job_completes_once_after_its_last_task_is_counted_with_every_error_kept() => Systematic.Explore(async () =>
    {
        var multi = new JobOf(3);
        multi.Attach(CancellationToken.None, CancellationToken.None);
        Task[] reporters = [.. Enumerable.Range(0, 3).Select(position => Task.Run(() =>
        {
            multi.OnTaskEnded(position, position == 1 ? new InvalidOperationException("task 1") : null);
            multi.CountEnded(1);
        }))];

        Task finished = multi.Completion;
        foreach (Task reporter in reporters)
        {
            await reporter;
        }

        Specification.Assert(finished.IsCompletedSuccessfully, "The job did not complete after all its tasks were counted.");
        Specification.Assert(multi.Errors.Count == 1 && multi.ErrorAt(1) is InvalidOperationException, "The failed task's error was lost.");
    });

    private sealed class JobOf(int count) : PoolJob<int>(count, progress: null);
}
