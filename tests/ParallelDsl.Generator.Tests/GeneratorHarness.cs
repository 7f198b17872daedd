using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ParallelDsl.Generator.Tests;

/// <summary>Runs the ParallelDsl generator over C# source the way the compiler does, for snapshot and caching tests.</summary>
internal static class GeneratorHarness
{
    // Generated pool interceptors live in ParallelDsl.Generated, which a project opts into (as the package does).
    public static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.Preview)
        .WithFeatures([new("InterceptorsNamespaces", "ParallelDsl.Generated")]);

    private const string ClusterAssembly = "ParallelDsl.Cluster";

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            // The cluster assembly is referenced only by the programs that ask for it (CompileProgram).
            .Where(path => Path.GetFileNameWithoutExtension(path) != ClusterAssembly)
            .Select(path => MetadataReference.CreateFromFile(path)),
        MetadataReference.CreateFromFile(typeof(RunInThreadAttribute).Assembly.Location),
    ];

    /// <summary>A compilation of <paramref name="sources"/> against the framework and the ParallelDsl runtime.</summary>
    public static CSharpCompilation Compile(params string[] sources) => CompileAs("Tests", sources);

    /// <summary>A compilation of <paramref name="sources"/> named <paramref name="assemblyName"/> (a friend assembly of the runtime sees its internals).</summary>
    public static CSharpCompilation CompileAs(string assemblyName, params string[] sources) =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>
    /// A console program of <paramref name="sources"/> named <c>Demo</c>, against the framework, the runtime and, when
    /// <paramref name="referencesCluster"/>, the ParallelDsl.Cluster assembly: what a cluster worker program is built from.
    /// </summary>
    public static CSharpCompilation CompileProgram(bool referencesCluster, params string[] sources) =>
        CompileAs("Demo", sources)
            .WithOptions(new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable))
            .AddReferences(referencesCluster ? [MetadataReference.CreateFromFile(typeof(global::ParallelDsl.Cluster.ClusterPool).Assembly.Location)] : []);

    /// <summary>A driver for the ParallelDsl generator that records each tracked step, so caching can be asserted.</summary>
    public static GeneratorDriver CreateDriver() => CreateDriver(new ParallelDslGenerator());

    /// <summary>A driver for <paramref name="generators"/>, run together as the compiler runs a package's generators, that records each tracked step.</summary>
    public static GeneratorDriver CreateDriver(params IIncrementalGenerator[] generators) =>
        CSharpGeneratorDriver.Create(
            generators.Select(GeneratorExtensions.AsSourceGenerator),
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator over <paramref name="sources"/>; returns the generated files and the final compilation.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(params string[] sources) => RunAs("Tests", sources);

    private static (GeneratorDriverRunResult Result, Compilation Output) RunAs(string assemblyName, string[] sources)
    {
        CSharpCompilation input = CompileAs(assemblyName, sources);
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        return (driver.GetRunResult(), output);
    }

    /// <summary>
    /// Runs the generator over <paramref name="sources"/> and asserts the generator neither threw nor reported, and the
    /// output compilation (the sources plus what was generated) has no error and no warning.
    /// </summary>
    /// <returns>The generated files, by hint name.</returns>
    public static IReadOnlyDictionary<string, string> RunClean(params string[] sources) => RunCleanAs("Tests", sources);

    /// <summary><see cref="RunClean(string[])"/> for a compilation named <paramref name="assemblyName"/>.</summary>
    public static IReadOnlyDictionary<string, string> RunCleanAs(string assemblyName, params string[] sources) =>
        RunClean(CreateDriver(), CompileAs(assemblyName, sources));

    /// <summary>
    /// Runs <paramref name="driver"/> over <paramref name="input"/> and asserts no generator threw or reported, and the
    /// output compilation has no error and no warning.
    /// </summary>
    /// <returns>The files every generator of the driver wrote, by hint name.</returns>
    public static IReadOnlyDictionary<string, string> RunClean(GeneratorDriver driver, Compilation input)
    {
        GeneratorDriverRunResult result = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _).GetRunResult();
        Assert.All(result.Results, run =>
        {
            Assert.Null(run.Exception);
            Assert.Empty(run.Diagnostics);
        });

        Diagnostic[] problems = output.GetDiagnostics()
            .Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning)
            .ToArray();
        Assert.True(problems.Length == 0, "The output compilation has diagnostics:\n" + string.Join("\n", problems.Select(p => p.ToString())));

        return result.Results.SelectMany(run => run.GeneratedSources).ToDictionary(source => source.HintName, source => source.SourceText.ToString());
    }

    /// <summary>Runs the generator over <paramref name="sources"/>, adds an unrelated file, and asserts every step in <paramref name="steps"/> stayed cached or unchanged.</summary>
    public static void AssertCachedAfterAddingAnUnrelatedFile(IEnumerable<string> steps, params string[] sources) =>
        AssertCachedAfterAddingAnUnrelatedFile(CreateDriver(), Compile(sources), steps);

    /// <summary>
    /// Runs <paramref name="driver"/> over <paramref name="compilation"/>, adds an unrelated file, and asserts every step in
    /// <paramref name="steps"/> (of whichever of the driver's generators tracks it) stayed cached or unchanged.
    /// </summary>
    /// <returns>The results of the run after the edit.</returns>
    public static GeneratorDriverRunResult AssertCachedAfterAddingAnUnrelatedFile(GeneratorDriver driver, CSharpCompilation compilation, IEnumerable<string> steps)
    {
        driver = driver.RunGenerators(compilation);
        CSharpCompilation edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Demo; class Unrelated { int Answer() => 42; }", ParseOptions));
        GeneratorDriverRunResult rerun = driver.RunGenerators(edited).GetRunResult();

        foreach (string step in steps)
        {
            IncrementalGeneratorRunStep[] runs = rerun.Results
                .SelectMany(result => result.TrackedSteps.TryGetValue(step, out ImmutableArray<IncrementalGeneratorRunStep> tracked) ? tracked : [])
                .ToArray();
            Assert.NotEmpty(runs);
            Assert.All(runs.SelectMany(run => run.Outputs), output =>
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"{step} was {output.Reason} after an unrelated edit"));
        }

        return rerun;
    }
}
