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

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    private static readonly Assembly RuntimeAssembly = typeof(RunInThreadAttribute).Assembly;

    public static readonly ImmutableArray<MetadataReference> References =
    [
        // The framework only: the test host's own assemblies (xunit among them) would make every compilation a test assembly.
        .. Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll")
            .Where(IsManagedAssembly)
            .Select(path => MetadataReference.CreateFromFile(path)),
        MetadataReference.CreateFromFile(RuntimeAssembly.Location),
    ];

    /// <summary>Every analyzer the ParallelDsl.Analyzers assembly ships.</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> AllAnalyzers =
    [
        .. typeof(DiagnosticDescriptors).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type))
            .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!),
    ];

    /// <summary>
    /// The declarations of <c>Fixtures/PendingApiShapes.cs</c> whose type the runtime does not define yet, as one source,
    /// or <see langword="null"/> once the runtime defines them all.
    /// </summary>
    public static readonly string? PendingApiShapes = LoadPendingApiShapes();

    public static string SourcePath(int index) => $"{SourceDirectory}Test{index}.cs";

    public static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>The trees a test compilation holds besides the test's own: the pending API shapes, if any.</summary>
    public static IEnumerable<SyntaxTree> SupportTrees() =>
        PendingApiShapes is null ? [] : [Parse(PendingApiShapes, $"{SourceDirectory}PendingApiShapes.cs")];

    public static CSharpCompilation Create(IEnumerable<SyntaxTree> trees, OutputKind outputKind, string? editorConfig = null)
    {
        var options = new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true);
        ImmutableArray<SyntaxTree> all = [.. trees, .. SupportTrees()];
        if (editorConfig is not null)
        {
            options = options.WithSyntaxTreeOptionsProvider(new EditorConfigOptions(editorConfig));
        }

        return CSharpCompilation.Create("UserProgram", all, References, options);
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

    private static string? LoadPendingApiShapes()
    {
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "PendingApiShapes.cs"));
        CompilationUnitSyntax root = CSharpSyntaxTree.ParseText(text).GetCompilationUnitRoot();
        BaseNamespaceDeclarationSyntax ns = root.Members.OfType<BaseNamespaceDeclarationSyntax>().Single();
        MemberDeclarationSyntax[] missing = ns.Members
            .OfType<BaseTypeDeclarationSyntax>()
            .Where(type => RuntimeAssembly.GetType(MetadataName(ns, type)) is null)
            .ToArray<MemberDeclarationSyntax>();
        return missing.Length == 0 ? null : root.ReplaceNode(ns, ns.WithMembers(SyntaxFactory.List(missing))).ToFullString();
    }

    private static string MetadataName(BaseNamespaceDeclarationSyntax ns, BaseTypeDeclarationSyntax type)
    {
        int arity = type is TypeDeclarationSyntax { TypeParameterList: { } parameters } ? parameters.Parameters.Count : 0;
        return $"{ns.Name}.{type.Identifier.ValueText}" + (arity > 0 ? $"`{arity}" : "");
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
