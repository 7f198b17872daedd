using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ParallelDsl.Generator.Tests;

/// <summary>
/// The incremental pipeline does no work for edits that cannot change what it writes: every tracked step is
/// cached or unchanged, and the output is cached. An edit that does matter reaches the output. The sources use
/// every attribute, so every pipeline (threads, processes, shared values) is tracked.
/// </summary>
public sealed class GeneratorCachingTests
{
    private const string Jobs = """
        using ParallelDsl;

        namespace Demo;

        public static partial class Jobs
        {
            [RunInThread(MaxConcurrency = 2)]
            public static int Work(int id) => id;

            public static int Helper() => 1;

            [RunInProcess]
            public static long Square(int n) => (long)n * n;

            [RunInThread]
            public static void Rejected(ref int n) { }

            [SharedValue]
            public static partial Shared<int> Counter { get; }

            public static void Feed(CrossProcessQueue<string[]> lines) => lines.Put([]);
        }
        """;

    private const string Downloads = """
        using System.Threading.Tasks;
        using ParallelDsl;

        namespace Demo;

        public partial class Downloads
        {
            [RunInThread(Name = "downloader")]
            public async Task<string> Fetch(string url) { await Task.Yield(); return url; }
        }
        """;

    // A pool call in a file of its own: its interceptable location changes only when this file changes.
    private const string PoolCalls = """
        using ParallelDsl;

        namespace Demo;

        public static class PoolCalls
        {
            public static long[] Squares(ProcessPool pool) => pool.Map(Jobs.Square, [1, 2, 3]);
        }
        """;

    // Thread launchers of Jobs and Downloads, Jobs' process launchers and shared value, the dispatch table, the codecs,
    // the pool interceptors, the stub of Jobs' rejected method.
    private const int GeneratedFiles = 8;

    // The dispatch table and the codecs (of process methods and queue elements alike) have a source output each.
    private const int SourceOutputs = GeneratedFiles;

    private static readonly string[] TrackedSteps = typeof(ParallelDslGenerator).Assembly
        .GetType("ParallelDsl.Generator.TrackingNames", throwOnError: true)!
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral)
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void Adding_an_unrelated_file_leaves_every_step_cached()
    {
        AssertCachedAfter(compilation => compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Demo; public static class Unrelated { public static int Two() => 2; }", Parse(compilation))));
    }

    [Fact]
    public void Editing_an_unrelated_method_body_in_the_same_file_leaves_every_step_cached()
    {
        AssertCachedAfter(compilation => Replace(compilation, "public static int Helper() => 1;", "public static int Helper() => 1 + 41;"));
    }

    [Fact]
    public void Editing_a_method_body_of_an_annotated_method_leaves_every_step_cached()
    {
        AssertCachedAfter(compilation => Replace(compilation, "public static int Work(int id) => id;", "public static int Work(int id) => id * 2;"));
    }

    [Fact]
    public void Changing_an_attribute_option_modifies_the_output()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce();
        CSharpCompilation edited = Replace(compilation, "MaxConcurrency = 2", "MaxConcurrency = 5");

        GeneratorRunResult run = Assert.Single(driver.RunGenerators(edited).GetRunResult().Results);

        IncrementalStepRunReason[] outputs = OutputReasons(run);
        Assert.Contains(IncrementalStepRunReason.Modified, outputs);
        GeneratedSourceResult jobs = Assert.Single(run.GeneratedSources, source => source.HintName == "Demo.Jobs.g.cs");
        Assert.Contains("ConcurrencyGate(5)", jobs.SourceText.ToString());
    }

    [Fact]
    public void Every_tracking_name_is_a_step_of_the_pipeline()
    {
        (GeneratorDriver driver, _) = RunOnce();
        GeneratorRunResult run = Assert.Single(driver.GetRunResult().Results);

        Assert.NotEmpty(TrackedSteps);
        Assert.All(TrackedSteps, name => Assert.True(run.TrackedSteps.ContainsKey(name), $"step '{name}' was not tracked"));
    }

    private static void AssertCachedAfter(Func<CSharpCompilation, CSharpCompilation> edit)
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce();

        GeneratorRunResult run = Assert.Single(driver.RunGenerators(edit(compilation)).GetRunResult().Results);

        foreach (string name in TrackedSteps)
        {
            Assert.True(run.TrackedSteps.TryGetValue(name, out var steps), $"step '{name}' was not tracked");
            IncrementalStepRunReason[] reasons = steps.SelectMany(step => step.Outputs).Select(output => output.Reason).ToArray();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, reason => Assert.True(
                reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"step '{name}' was {reason}"));
        }

        IncrementalStepRunReason[] outputs = OutputReasons(run);
        Assert.Equal(SourceOutputs, outputs.Length);
        Assert.All(outputs, reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) RunOnce()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Jobs, Downloads, PoolCalls);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        Assert.Equal(GeneratedFiles, driver.GetRunResult().GeneratedTrees.Length);
        return (driver, compilation);
    }

    private static IncrementalStepRunReason[] OutputReasons(GeneratorRunResult run) =>
        run.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs).Select(output => output.Reason).ToArray();

    private static CSharpCompilation Replace(CSharpCompilation compilation, string oldText, string newText)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single(tree => tree.ToString().Contains(oldText, StringComparison.Ordinal));
        SyntaxTree edited = tree.WithChangedText(tree.GetText().Replace(tree.ToString().IndexOf(oldText, StringComparison.Ordinal), oldText.Length, newText));
        return compilation.ReplaceSyntaxTree(tree, edited);
    }

    private static CSharpParseOptions Parse(CSharpCompilation compilation) =>
        (CSharpParseOptions)compilation.SyntaxTrees[0].Options;
}
