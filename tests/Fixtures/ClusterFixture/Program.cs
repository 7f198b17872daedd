using ParallelDsl;

namespace ParallelDsl.Tests.Fixtures;

/// <summary>A program whose only role is to be a cluster worker: the guard turns it into one when asked.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        MainGuard.Enter(args);
        if (args is ["--dying-client", string uri, string queue, string key])
        {
            return SubmitAndDie(uri, queue, key);
        }

        Console.Error.WriteLine("ClusterFixture runs as a cluster worker (--paralleldsl-worker amqp://… --queue NAME) or as --dying-client URI QUEUE KEY");
        return 2;
    }

    /// <summary>A client that submits twenty slow tasks, waits for the first result and dies without closing anything.</summary>
    private static int SubmitAndDie(string uri, string queue, string key)
    {
        ParallelDsl.Cluster.ClusterPool pool = ParallelDsl.Cluster.ClusterPool.Connect(uri, new ParallelDsl.Cluster.ClusterOptions { Queue = queue, Key = key, Slots = 10 });
        List<PoolTask<int>> tasks = [.. Enumerable.Range(0, 20).Select(_ => pool.Submit(ClusterTasks.SlowDouble, 300))];
        tasks[0].GetResult(TimeSpan.FromMinutes(1));
        Console.Out.WriteLine("first result; dying");
        Console.Out.Flush();
        Environment.FailFast("the client dies on purpose");
        return 1;
    }
}
