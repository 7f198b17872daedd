using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ParallelDsl.Generator.Cluster;

namespace ParallelDsl.Generator.Tests;

/// <summary>
/// The cluster worker generator, run beside the ParallelDsl generator as the package runs them: a program that
/// references ParallelDsl.Cluster gets the registration that makes <c>MainGuard.Enter</c> start it as a cluster worker,
/// and nothing else gets anything.
/// </summary>
public sealed class ClusterWorkerGeneratorTests
{
    private const string RegistrationHint = "ParallelDsl.ClusterWorkerRegistration.g.cs";

    private const string Program = """
        using ParallelDsl;

        namespace Demo;

        public sealed record Parcel(int Grams, string Label);

        static partial class Program
        {
            static void Main(string[] args) => MainGuard.Enter(args);

            [RunInProcess] static int Weigh(Parcel parcel) => parcel.Grams;
        }
        """;

    [Fact]
    public void A_program_that_references_ParallelDsl_Cluster_gets_the_worker_registration_and_its_methods_their_shape_ids()
    {
        IReadOnlyDictionary<string, string> files = GeneratorHarness.RunClean(Driver(), GeneratorHarness.CompileProgram(referencesCluster: true, Program));

        Snapshot.Match(files[RegistrationHint], "Cluster/WorkerRegistration");
        // The worker program compares a batch's shape id with the one its own dispatch table registers.
        Assert.Contains("ShapeId = global::Demo.Program.WeighProcess.ShapeId", files["ParallelDsl.ProcessDispatch.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_program_without_the_reference_and_a_library_with_it_get_no_registration()
    {
        IReadOnlyDictionary<string, string> program = GeneratorHarness.RunClean(Driver(), GeneratorHarness.CompileProgram(referencesCluster: false, Program));
        // A library is no program to start as a worker, whatever it references: the program that uses it gets the registration.
        CSharpCompilation library = GeneratorHarness.CompileProgram(referencesCluster: true, Program.Replace("static void Main", "static void Run", StringComparison.Ordinal))
            .WithOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        IReadOnlyDictionary<string, string> libraryFiles = GeneratorHarness.RunClean(Driver(), library);

        Assert.DoesNotContain(RegistrationHint, program.Keys);
        Assert.DoesNotContain(RegistrationHint, libraryFiles.Keys);
        // The process methods are generated all the same.
        Assert.Contains("ParallelDsl.ProcessDispatch.g.cs", program.Keys);
        Assert.Contains("ParallelDsl.ProcessDispatch.g.cs", libraryFiles.Keys);
    }

    [Fact]
    public void An_unrelated_edit_leaves_the_cluster_step_unchanged_and_the_registration_cached()
    {
        GeneratorDriverRunResult rerun = GeneratorHarness.AssertCachedAfterAddingAnUnrelatedFile(
            Driver(), GeneratorHarness.CompileProgram(referencesCluster: true, Program), [ClusterWorkerGenerator.ReferencesClusterStep, TrackingNames.ProcessMethods]);

        AssertRegistrationCached(rerun);
    }

    [Fact]
    public void A_process_method_added_reaches_the_dispatch_table_with_its_shape_id_and_leaves_the_registration_cached()
    {
        CSharpCompilation compilation = GeneratorHarness.CompileProgram(referencesCluster: true, Program);
        GeneratorDriver driver = Driver().RunGenerators(compilation);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        SyntaxTree added = tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Program.Replace(
            "[RunInProcess] static int Weigh",
            "[RunInProcess] static string Label(Parcel parcel) => parcel.Label;\n\n    [RunInProcess] static int Weigh",
            StringComparison.Ordinal)));

        GeneratorDriverRunResult rerun = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, added)).GetRunResult();

        Assert.Contains(rerun.Results.SelectMany(result => result.TrackedSteps.GetValueOrDefault(TrackingNames.ProcessAssemblyModel, [])).SelectMany(run => run.Outputs),
            output => output.Reason == IncrementalStepRunReason.Modified);
        string dispatch = rerun.Results.SelectMany(result => result.GeneratedSources).Single(source => source.HintName == "ParallelDsl.ProcessDispatch.g.cs").SourceText.ToString();
        Assert.Contains("ShapeId = global::Demo.Program.LabelProcess.ShapeId", dispatch, StringComparison.Ordinal);
        AssertRegistrationCached(rerun);
    }

    private static GeneratorDriver Driver() => GeneratorHarness.CreateDriver(new ParallelDslGenerator(), new ClusterWorkerGenerator());

    /// <summary>The registration depends on nothing but the program's reference: its output step did no work.</summary>
    private static void AssertRegistrationCached(GeneratorDriverRunResult rerun)
    {
        GeneratorRunResult cluster = rerun.Results.Single(result => result.Generator.GetGeneratorType() == typeof(ClusterWorkerGenerator));
        Assert.Contains(cluster.GeneratedSources, source => source.HintName == RegistrationHint);
        IncrementalGeneratorRunStep[] outputs = [.. cluster.TrackedOutputSteps.SelectMany(step => step.Value)];
        Assert.NotEmpty(outputs);
        Assert.All(outputs.SelectMany(run => run.Outputs), output =>
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"the registration's output step was {output.Reason}"));
    }
}
