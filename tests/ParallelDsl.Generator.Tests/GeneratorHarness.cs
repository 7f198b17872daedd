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

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
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

    /// <summary>A driver for the generator that records each tracked step, so caching can be asserted.</summary>
    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new ParallelDslGenerator().AsSourceGenerator()],
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

    /// <summary><see cref="RunClean"/> for a compilation named <paramref name="assemblyName"/>.</summary>
    public static IReadOnlyDictionary<string, string> RunCleanAs(string assemblyName, params string[] sources)
    {
        (GeneratorDriverRunResult result, Compilation output) = RunAs(assemblyName, sources);
        GeneratorRunResult run = Assert.Single(result.Results);
        Assert.Null(run.Exception);
        Assert.Empty(run.Diagnostics);

        Diagnostic[] problems = output.GetDiagnostics()
            .Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning)
            .ToArray();
        Assert.True(problems.Length == 0, "The output compilation has diagnostics:\n" + string.Join("\n", problems.Select(p => p.ToString())));

        return run.GeneratedSources.ToDictionary(source => source.HintName, source => source.SourceText.ToString());
    }

    /// <summary>Runs the generator over <paramref name="sources"/>, adds an unrelated file, and asserts every step in <paramref name="steps"/> stayed cached or unchanged.</summary>
    public static void AssertCachedAfterAddingAnUnrelatedFile(IEnumerable<string> steps, params string[] sources)
    {
        CSharpCompilation compilation = Compile(sources);
        GeneratorDriver driver = CreateDriver().RunGenerators(compilation);

        CSharpCompilation edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Demo; class Unrelated { int Answer() => 42; }", ParseOptions));
        GeneratorRunResult rerun = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in steps)
        {
            IncrementalGeneratorRunStep[] runs = rerun.TrackedSteps[step].ToArray();
            Assert.NotEmpty(runs);
            Assert.All(runs.SelectMany(run => run.Outputs), output =>
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"{step} was {output.Reason} after an unrelated edit"));
        }
    }
}
