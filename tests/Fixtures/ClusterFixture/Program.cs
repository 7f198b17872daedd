using ParallelDsl;

namespace ParallelDsl.Tests.Fixtures;

/// <summary>A program whose only role is to be a cluster worker: the guard turns it into one when asked.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        MainGuard.Enter(args);
        Console.Error.WriteLine("ClusterFixture runs only as a cluster worker: --paralleldsl-worker amqp://… --queue NAME");
        return 2;
    }
}
