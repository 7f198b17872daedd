using ParallelDsl;

namespace ParallelDsl.Tests.Fixtures;

internal static partial class Program
{
    /// <summary>
    /// Maps 40 tasks of 50 ms on two workers with a <see cref="ConsoleProgress"/> bar (every tenth task throws), so the
    /// tests can read the bar on a pseudo-terminal and the plain lines of a redirected output.
    /// </summary>
    private static int MapWithProgressBar()
    {
        using var pool = new ProcessPool(workers: 2);
        try
        {
            pool.Map(SlowTask, Enumerable.Range(0, 40), chunkSize: 1, progress: ConsoleProgress.Bar("slow", TimeSpan.FromMilliseconds(200)));
        }
        catch (AggregateException failures)
        {
            Console.WriteLine($"failed: {failures.InnerExceptions.Count}");
        }

        return 0;
    }

    [RunInProcess]
    private static int SlowTask(int n)
    {
        Thread.Sleep(50);
        return n % 10 == 9 ? throw new InvalidOperationException($"task {n} fails on purpose") : n;
    }
}
