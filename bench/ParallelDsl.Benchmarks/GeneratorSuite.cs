using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Reports;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ParallelDsl.Generator;

namespace ParallelDsl.Benchmarks;

/// <summary>
/// The generator over a synthetic project of 1,000 <c>[RunInThread]</c> methods: a cold run (a new driver, as for a
/// first build) and the re-run after an unrelated edit (as while typing in an IDE). Goals: cold under 500 ms, the
/// re-run under 10 % of cold.
/// </summary>
internal static class GeneratorSuite
{
    public static IReadOnlyList<BenchFigure> Run(bool smoke)
    {
        // The very first run in a process also pays for loading and compiling the generator: reported on its own.
        var input = new SyntheticProject();
        var first = Stopwatch.StartNew();
        GeneratorDriver driver = input.Cold();
        first.Stop();
        if (driver.GetRunResult().GeneratedTrees.Length != SyntheticProject.Types)
        {
            throw new InvalidOperationException($"expected {SyntheticProject.Types} generated files, got {driver.GetRunResult().GeneratedTrees.Length}");
        }

        Summary summary = BenchConfig.Run<GeneratorBenchmarks>(smoke, iterations: 10);
        double cold = BenchConfig.MedianNanoseconds(summary, nameof(GeneratorBenchmarks.ColdRun)) / 1e6;
        double edit = BenchConfig.MedianNanoseconds(summary, nameof(GeneratorBenchmarks.RunAfterUnrelatedEdit)) / 1e6;
        double floor = BenchConfig.MedianNanoseconds(summary, nameof(GeneratorBenchmarks.MinimalGeneratorAfterUnrelatedEdit)) / 1e6;
        return
        [
            new("generator_first_run_in_process", first.Elapsed.TotalMilliseconds, "ms"),
            new("generator_cold", cold, "ms"),
            new("generator_after_unrelated_edit", edit, "ms"),
            new("generator_after_unrelated_edit_of_cold", 100 * edit / cold, "%"),
            new("generator_minimal_after_unrelated_edit", floor, "ms"),
            new("generator_after_unrelated_edit_above_minimal_of_cold", 100 * (edit - floor) / cold, "%"),
        ];
    }
}

/// <summary>The benchmarks of <see cref="GeneratorSuite"/>.</summary>
public class GeneratorBenchmarks
{
    private SyntheticProject _project = null!;
    private GeneratorDriver _warm = null!;
    private GeneratorDriver _warmMinimal = null!;

    [GlobalSetup]
    public void Setup()
    {
        _project = new SyntheticProject();
        _warm = _project.Cold();
        _warmMinimal = _project.Cold(new MinimalGenerator());
    }

    /// <summary>A new driver over a new compilation of the (already parsed) project.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver ColdRun() => _project.Cold();

    /// <summary>The driver that has seen the project, over the project plus one new unrelated file.</summary>
    [Benchmark]
    public GeneratorDriver RunAfterUnrelatedEdit() => _warm.RunGenerators(_project.WithUnrelatedFile());

    /// <summary>
    /// The floor under <see cref="RunAfterUnrelatedEdit"/>: a new compilation makes Roslyn bind the attributes again
    /// for any <c>ForAttributeWithMetadataName</c> generator, even one that only reads each method's name.
    /// </summary>
    [Benchmark]
    public GeneratorDriver MinimalGeneratorAfterUnrelatedEdit() => _warmMinimal.RunGenerators(_project.WithUnrelatedFile());
}

/// <summary>A generator that finds the same methods as ParallelDsl's and does nothing with them.</summary>
internal sealed class MinimalGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<ImmutableArray<string>> names = context.SyntaxProvider
            .ForAttributeWithMetadataName("ParallelDsl.RunInThreadAttribute", static (_, _) => true, static (target, _) => target.TargetSymbol.Name)
            .Collect();
        context.RegisterSourceOutput(names, static (output, found) => output.AddSource("Count.g.cs", $"// {found.Length}"));
    }
}

/// <summary>A project of <see cref="Types"/> partial classes with ten annotated and ten plain methods each.</summary>
internal sealed class SyntheticProject
{
    public const int Types = 100;
    private const int AnnotatedPerType = 10;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path)),
        MetadataReference.CreateFromFile(typeof(RunInThreadAttribute).Assembly.Location),
    ];

    private readonly SyntaxTree[] _trees = Enumerable.Range(0, Types)
        .Select(index => CSharpSyntaxTree.ParseText(Source(index), ParseOptions, path: $"Type{index}.cs"))
        .ToArray();

    private readonly SyntaxTree _unrelated = CSharpSyntaxTree.ParseText(
        "namespace Synthetic; public static class Unrelated { public static int Answer() => 42; }", ParseOptions, path: "Unrelated.cs");

    private readonly CSharpCompilation _compilation;

    public SyntheticProject()
    {
        _compilation = Compile();
    }

    public GeneratorDriver Cold(IIncrementalGenerator? generator = null) => CreateDriver(generator ?? new ParallelDslGenerator()).RunGenerators(Compile());

    public CSharpCompilation WithUnrelatedFile() => _compilation.AddSyntaxTrees(_unrelated);

    private static GeneratorDriver CreateDriver(IIncrementalGenerator generator) =>
        CSharpGeneratorDriver.Create([generator.AsSourceGenerator()], parseOptions: ParseOptions);

    private CSharpCompilation Compile() =>
        CSharpCompilation.Create(
            "Synthetic",
            _trees,
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static string Source(int index)
    {
        var text = new StringBuilder();
        text.AppendLine("using System.Threading.Tasks;")
            .AppendLine("using ParallelDsl;")
            .AppendLine("namespace Synthetic;")
            .AppendLine($"public partial class Jobs{index}")
            .AppendLine("{")
            .AppendLine("    private int _seen;");
        for (int method = 0; method < AnnotatedPerType; method++)
        {
            text.AppendLine(method switch
            {
                0 => $"    [RunInThread] public static void Work{method}(string name, int count = 3) {{ }}",
                1 => $"    [RunInThread(MaxConcurrency = 2)] public static int Work{method}(int value) => value * 2;",
                2 => $"    [RunInThread(Name = \"worker\", Daemon = true)] public void Work{method}() => _seen++;",
                3 => $"    [RunInThread] public async Task<int> Work{method}(int value) {{ await Task.Yield(); return value; }}",
                _ => $"    [RunInThread] internal int Work{method}(int left, long right, string? label = null) => _seen + left;",
            });
            text.AppendLine($"    public int Plain{method}(int value) {{ int total = 0; for (int i = 0; i < value; i++) {{ total += i * {method}; }} return total; }}");
        }

        return text.AppendLine("}").ToString();
    }
}
