using static ParallelDsl.Tests.Processes.HandRegisteredProcessMethods;

namespace ParallelDsl.Tests.Processes;

public sealed class SmokeTests
{
    [Fact]
    public void Square()
    {
        using var handle = StartSquare(7);
        Assert.Equal(49, handle.Join());
    }
}
