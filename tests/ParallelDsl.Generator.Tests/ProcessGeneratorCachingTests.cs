using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ParallelDsl.Generator.Tests;

public sealed class ProcessGeneratorCachingTests
{
    private static readonly string[] ProcessSteps =
    [
        TrackingNames.ProcessMethods,
        TrackingNames.CollectedProcessMethods,
        TrackingNames.ProcessTypeModels,
        TrackingNames.ProcessAssemblyModel,
    ];

    private const string Source = """
        using System.Collections.Generic;
        using ParallelDsl;

        namespace Demo;

        public record Order(int Id, List<string> Lines);

        static partial class Jobs
        {
            [RunInProcess] static int Count(Order order) => order.Lines.Count;
            [RunInProcess] static void Log(string message) { }
        }
        """;

    [Fact]
    public void An_unrelated_edit_leaves_every_process_step_cached_or_unchanged()
    {
        GeneratorHarness.AssertCachedAfterAddingAnUnrelatedFile(ProcessSteps, Source);
    }

    [Fact]
    public void Changing_a_type_that_crosses_the_boundary_regenerates_its_codecs()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        SyntaxTree tree = compilation.SyntaxTrees.Single();
        SyntaxTree changed = tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(
            Source.Replace("List<string> Lines)", "List<string> Lines, decimal Total)", StringComparison.Ordinal)));
        GeneratorDriverRunResult rerun = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, changed)).GetRunResult();

        Assert.Contains(rerun.Results.Single().TrackedSteps[TrackingNames.CodecAssemblyModel].SelectMany(run => run.Outputs),
            output => output.Reason == IncrementalStepRunReason.Modified);
        string codecs = rerun.Results.Single().GeneratedSources.Single(s => s.HintName == "ParallelDsl.ProcessCodecs.g.cs").SourceText.ToString();
        Assert.Contains("WireWriter writer, decimal value)", codecs, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_models_hold_nothing_from_the_compilation()
    {
        GeneratorRunResult result = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.Compile(Source)).GetRunResult().Results.Single();

        foreach (string step in ProcessSteps)
        {
            foreach ((object value, _) in result.TrackedSteps[step].SelectMany(run => run.Outputs))
            {
                AssertHoldsNoCompilationData(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static void AssertHoldsNoCompilationData(object? value, string path, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !visited.Add(value))
        {
            return;
        }

        Assert.False(
            value is ISymbol or SyntaxNode or SemanticModel or Compilation or Location or SyntaxTree,
            $"{path} holds a {value.GetType().Name}, which keeps the compilation alive and defeats caching.");
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                AssertHoldsNoCompilationData(item, $"{path}[{i++}]", visited);
            }
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertHoldsNoCompilationData(field.GetValue(value), $"{path}.{field.Name}", visited);
        }
    }
}
