using ParallelDsl;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>
/// <c>[RunInProcess]</c> methods of private nested types, which the dispatch table and the pool interceptors cannot
/// name: they reach the holders through the members the generator forwards out to the outer type.
/// </summary>
public sealed partial class PrivateNestedProcessMethodTests : WorkerProcessTest
{
    [Fact]
    public void A_method_of_a_private_nested_type_runs_in_a_child_and_in_a_pool()
    {
        using var pool = new ProcessPool(workers: 2);

        (int Pid, int Doubled) started = Hidden.Deeper.StartAndJoin(21);
        int[] mapped = Hidden.Deeper.MapTwice(pool, [1, 2, 3]);

        Assert.NotEqual(Environment.ProcessId, started.Pid);
        Assert.Equal(42, started.Doubled);
        Assert.Equal([2, 4, 6], mapped);
    }

    private static partial class Hidden
    {
        internal static partial class Deeper
        {
            public static (int Pid, int Doubled) StartAndJoin(int n)
            {
                using ProcessHandle<(int, int)> handle = StartTwiceWithPid(n);
                return handle.Join(Safety) ? handle.Result : throw new TimeoutException("the child did not answer");
            }

            public static int[] MapTwice(ProcessPool pool, int[] items) => pool.Map(Twice, items, timeout: Safety);

            [RunInProcess]
            private static (int, int) TwiceWithPid(int n) => (Environment.ProcessId, n * 2);

            [RunInProcess]
            private static int Twice(int n) => n * 2;
        }
    }
}
