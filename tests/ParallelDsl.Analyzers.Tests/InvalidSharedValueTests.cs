namespace ParallelDsl.Analyzers.Tests;

// On our own harness still: the invalid declarations leave partial properties without an implementation, a compiler
// error the standard framework would require each test to list beside the diagnostic it is about.

/// <summary>PDSL0011: [SharedValue] on what is not a static partial Shared&lt;T&gt; or SharedArray&lt;T&gt; property.</summary>
public class InvalidSharedValueTests
{
    [Fact]
    public void Shared_values_that_are_not_static_partial_shared_properties_are_reported()
    {
        var diagnostics = AnalyzerVerifier.Verify("""
            using ParallelDsl;
            partial class State
            {
                [SharedValue] partial Shared<int> {|PDSL0011:Instance|} { get; }
                [SharedValue] static Shared<int> {|PDSL0011:NotPartial|} { get; } = null!;
                [SharedValue] static partial int {|PDSL0011:WrongType|} { get; }
                [SharedValue] static partial Shared<long> Counter { get; }
                [SharedValue(Length = 4)] static partial SharedArray<double> Data { get; }
                [SharedValue(true)] public static partial Shared<bool> Flag { get; }
                static int Plain { get; set; }
                partial int NotShared { get; }
            }
            """);

        Assert.Contains(diagnostics, d => d.GetMessage().EndsWith("its type is 'int'", StringComparison.Ordinal));
    }
}
