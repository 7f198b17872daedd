namespace ParallelDsl.Analyzers.Tests;

// On our own harness still: the generator leaves a rejected array's partial property without an implementation, so
// the compiler adds CS9248 beside PDSL0012, which the standard framework would require this test to expect.
/// <summary>PDSL0012: a [SharedValue] array without a positive Length.</summary>
public class SharedArrayWithoutLengthTests
{
    [Fact]
    public void Shared_arrays_without_a_positive_length_are_reported_on_the_attribute()
    {
        AnalyzerVerifier.Verify("""
            using ParallelDsl;
            partial class State
            {
                [{|PDSL0012:SharedValue|}] static partial SharedArray<int> Missing { get; }
                [{|PDSL0012:SharedValue(Length = 0)|}] static partial SharedArray<int> Empty { get; }
                [SharedValue(Length = 8)] static partial SharedArray<int> Sized { get; }
                [SharedValue(5)] static partial Shared<int> Single { get; }
            }
            """);
    }
}
