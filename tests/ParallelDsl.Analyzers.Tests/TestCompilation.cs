using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>Builds compilations the way a user's project is built: the framework, the ParallelDsl runtime, the generator.</summary>
internal static class TestCompilation
{
    /// <summary>Where test sources pretend to live, so an <c>.editorconfig</c> beside them applies.</summary>
    public const string SourceDirectory = "/project/";

    // As the package's build props do for a user's project: the generated pool interceptors live in this namespace.
    public static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.Preview)
        .WithFeatures([new("InterceptorsNamespaces", "ParallelDsl.Generated")]);

    private static readonly Assembly RuntimeAssembly = typeof(RunInThreadAttribute).Assembly;

    public static readonly ImmutableArray<MetadataReference> References =
    [
        // The framework only: the test host's own assemblies (xunit among them) would make every compilation a test assembly.
        .. Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll")
            .Where(IsManagedAssembly)
            .Select(path => MetadataReference.CreateFromFile(path)),
        MetadataReference.CreateFromFile(RuntimeAssembly.Location),

        // samples/Cluster uses the cluster pool; its generated worker registration names the cluster assembly.
        MetadataReference.CreateFromFile(typeof(ParallelDsl.Cluster.ClusterPool).Assembly.Location),
    ];

    /// <summary>Every analyzer the ParallelDsl.Analyzers assembly ships.</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> AllAnalyzers =
    [
        .. typeof(DiagnosticDescriptors).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type))
            .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!),
    ];

    public static string SourcePath(int index) => $"{SourceDirectory}Test{index}.cs";

    public static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    public static CSharpCompilation Create(IEnumerable<SyntaxTree> trees, OutputKind outputKind, string? editorConfig = null)
    {
        var options = new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true);
        if (editorConfig is not null)
        {
            options = options.WithSyntaxTreeOptionsProvider(new EditorConfigOptions(editorConfig));
        }

        return CSharpCompilation.Create("UserProgram", trees, References, options);
    }

    /// <summary>Runs the ParallelDsl generator over <paramref name="compilation"/>, as the build does before analyzers run.</summary>
    public static Compilation WithGeneratedSources(Compilation compilation)
    {
        CSharpGeneratorDriver.Create([new ParallelDsl.Generator.ParallelDslGenerator().AsSourceGenerator()], parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        return output;
    }

    /// <summary>Runs <paramref name="analyzers"/>; fails the test if any of them throws.</summary>
    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            (exception, analyzer, _) => { lock (exceptions) { exceptions.Add($"{analyzer.GetType().Name}: {exception}"); } },
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        ImmutableArray<Diagnostic> diagnostics = compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        Assert.True(exceptions.Count == 0, "Analyzer threw:\n" + string.Join("\n", exceptions));
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics;
    }

    private static bool IsManagedAssembly(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        return reader.HasMetadata;
    }

    /// <summary>Severity settings from one <c>.editorconfig</c>, the way the compiler applies them to the trees under it.</summary>
    private sealed class EditorConfigOptions(string editorConfig) : SyntaxTreeOptionsProvider
    {
        private readonly AnalyzerConfigSet _set = AnalyzerConfigSet.Create(ImmutableArray.Create(AnalyzerConfig.Parse(editorConfig, SourceDirectory + ".editorconfig")));

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            _set.GetOptionsForSourcePath(tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            _set.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);
    }
}
