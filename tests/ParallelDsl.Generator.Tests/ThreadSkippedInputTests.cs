using Microsoft.CodeAnalysis;

namespace ParallelDsl.Generator.Tests;

/// <summary>
/// Input the generator cannot write a launcher for is skipped quietly: no source, no exception, no diagnostic
/// (the analyzers explain the mistake to the user), and valid methods next to it are still generated.
/// </summary>
public sealed class ThreadSkippedInputTests
{
    public static TheoryData<string, string> InvalidMethods => new()
    {
        { "non-partial type", "static class Jobs { [RunInThread] static void Work() { } }" },
        { "file-local type", "file static partial class Jobs { [RunInThread] static void Work() { } }" },
        { "non-partial containing type", "class Outer { public partial class Jobs { [RunInThread] static void Work() { } } }" },
        { "generic method", "static partial class Jobs { [RunInThread] static void Work<T>(T item) { } }" },
        { "ref parameter", "static partial class Jobs { [RunInThread] static void Work(ref int count) { } }" },
        { "out parameter", "static partial class Jobs { [RunInThread] static void Work(out int count) => count = 1; }" },
        { "in parameter", "static partial class Jobs { [RunInThread] static void Work(in int count) { } }" },
        { "span parameter", "static partial class Jobs { [RunInThread] static void Work(System.Span<int> items) { } }" },
        { "pointer parameter", "unsafe static partial class Jobs { [RunInThread] static void Work(int* items) { } }" },
        { "params span", "static partial class Jobs { [RunInThread] static void Work(params System.ReadOnlySpan<int> items) { } }" },
        { "ref return", "static partial class Jobs { static int s; [RunInThread] static ref int Work() => ref s; }" },
        { "instance method on a struct", "partial struct Jobs { [RunInThread] void Work() { } }" },
        { "instance method on a record struct", "partial record struct Jobs { [RunInThread] void Work() { } }" },
        { "interface method", "partial interface IJobs { [RunInThread] static void Work() { } }" },
        { "abstract method", "abstract partial class Jobs { [RunInThread] protected abstract void Work(); }" },
        { "local function", "static partial class Jobs { static void Outer() { [RunInThread] static void Work() { } Work(); } }" },
    };

    [Theory]
    [MemberData(nameof(InvalidMethods))]
    public void Invalid_methods_produce_no_source_and_no_generator_error(string shape, string declaration)
    {
        (GeneratorDriverRunResult result, _) = GeneratorHarness.Run($"using ParallelDsl;\nnamespace Demo;\n{declaration}");

        GeneratorRunResult run = Assert.Single(result.Results);
        Assert.True(run.Exception is null, $"{shape}: the generator threw {run.Exception}");
        Assert.Empty(run.Diagnostics);
        Assert.True(run.GeneratedSources.IsEmpty, $"{shape}: the generator wrote {string.Join(", ", run.GeneratedSources.Select(s => s.HintName))}");
    }

    [Fact]
    public void A_valid_method_next_to_invalid_ones_is_still_generated()
    {
        IReadOnlyDictionary<string, string> generated = GeneratorHarness.RunClean("""
            using ParallelDsl;

            namespace Demo;

            public partial class Jobs
            {
                [RunInThread]
                public static void Valid()
                {
                }

                [RunInThread]
                public static void Generic<T>()
                {
                }

                [RunInThread]
                public static void ByRef(ref int value)
                {
                }
            }
            """);

        string source = Assert.Single(generated).Value;
        Assert.Contains("StartValid()", source);
        Assert.DoesNotContain("StartGeneric", source);
        Assert.DoesNotContain("StartByRef", source);
    }
}
