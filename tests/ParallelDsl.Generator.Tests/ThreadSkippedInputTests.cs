using Microsoft.CodeAnalysis;

namespace ParallelDsl.Generator.Tests;

/// <summary>
/// Input the generator cannot write a launcher for gets no launcher, no exception and no generator diagnostic (the
/// analyzers explain the mistake to the user); where the type can hold members, a stub with the launcher's signature
/// keeps calls of it from adding a second error; and valid methods next to it are still generated.
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
    public void Invalid_methods_produce_at_most_a_stub_and_no_generator_error(string shape, string declaration)
    {
        (GeneratorDriverRunResult result, Compilation output) = GeneratorHarness.Run($"using ParallelDsl;\nnamespace Demo;\n{declaration}");

        GeneratorRunResult run = Assert.Single(result.Results);
        Assert.True(run.Exception is null, $"{shape}: the generator threw {run.Exception}");
        Assert.Empty(run.Diagnostics);
        foreach (GeneratedSourceResult source in run.GeneratedSources)
        {
            Assert.True(source.HintName.EndsWith(".Rejected.g.cs", StringComparison.Ordinal), $"{shape}: the generator wrote {source.HintName}");
            Assert.Contains("has no launcher", source.SourceText.ToString(), StringComparison.Ordinal);
            // The stub adds no error of its own (a pointer needs unsafe code enabled, for the user's method too).
            Diagnostic[] errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            string[] userErrors = errors.Where(d => d.Location.SourceTree?.FilePath == "Source0.cs").Select(d => d.Id).ToArray();
            Assert.DoesNotContain(errors, d => d.Location.SourceTree?.FilePath.EndsWith(source.HintName, StringComparison.Ordinal) == true && !userErrors.Contains(d.Id));
        }
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

        string source = generated["Demo.Jobs.g.cs"];
        Assert.Contains("StartValid()", source);
        Assert.DoesNotContain("StartGeneric", source);
        Assert.DoesNotContain("StartByRef", source);
        string stubs = generated["Demo.Jobs.Rejected.g.cs"];
        Assert.Contains("StartGeneric<T>()", stubs);
        Assert.Contains("StartByRef(ref int value)", stubs);
        Assert.DoesNotContain("StartValid", stubs);
    }
}
