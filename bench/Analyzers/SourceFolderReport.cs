using System.Collections.Immutable;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ParallelDsl.Benchmarks.Analyzers;

/// <summary>
/// Runs the ParallelDsl analyzers over a folder of C# sources (a library checked out anywhere, built or not) and
/// prints every PDSL diagnostic with its source line and its additional locations, for reading them by hand: the
/// way the precision of a rule is measured on real code. The sources are compiled against the running .NET's own
/// assemblies with the usual NET symbols; what a missing package leaves unresolved is left out of the analysis,
/// so the figures come from the code that binds.
/// Usage: dotnet run -c Release --project bench/Analyzers -- --report FOLDER [--implicit-usings]
/// </summary>
internal static class SourceFolderReport
{
    private static readonly string[] Symbols = ["NET", "NETCOREAPP", "NET8_0", "NET8_0_OR_GREATER", "NET7_0_OR_GREATER", "NET6_0_OR_GREATER", "NET5_0_OR_GREATER", "NETCOREAPP3_1_OR_GREATER", "NETSTANDARD2_1_OR_GREATER"];

    /// <summary>What the SDK adds to a project with <c>ImplicitUsings</c> enabled.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public static int Run(string folder, bool implicitUsings)
    {
        string[] files = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                           && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var parse = new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: Symbols);
        SyntaxTree[] trees =
        [
            .. files.Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parse, path)),
            .. implicitUsings ? [CSharpSyntaxTree.ParseText(ImplicitUsings, parse, Path.Combine(folder, "ImplicitUsings.g.cs"))] : Array.Empty<SyntaxTree>(),
        ];
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        MetadataReference[] references = Directory.GetFiles(framework, "*.dll").Where(IsManagedAssembly).Select(path => MetadataReference.CreateFromFile(path)).ToArray();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable);
        Compilation compilation = CSharpCompilation.Create("Measured", trees, references, options);

        ImmutableArray<DiagnosticAnalyzer> analyzers =
        [
            .. System.Reflection.Assembly.Load("ParallelDsl.Analyzers").GetTypes()
                .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type))
                .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!),
        ];
        var watch = System.Diagnostics.Stopwatch.StartNew();
        ImmutableArray<Diagnostic> diagnostics = compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        watch.Stop();
        int errors = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
        int lines = trees.Sum(tree => tree.GetText().Lines.Count);
        Console.WriteLine($"{files.Length} files, {lines:N0} lines, {errors} compile errors (unresolved packages), analyzers {watch.Elapsed.TotalSeconds:F1} s");

        int count = 0;
        foreach (Diagnostic diagnostic in diagnostics.Where(d => d.Id.StartsWith("PDSL", StringComparison.Ordinal) || d.Id == "AD0001")
                     .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start))
        {
            count++;
            Console.WriteLine();
            Console.WriteLine($"#{count} {diagnostic.Id} {Describe(diagnostic.Location, folder)}");
            Console.WriteLine($"    {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
            foreach (Location additional in diagnostic.AdditionalLocations)
            {
                Console.WriteLine($"    also {Describe(additional, folder)}");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{count} diagnostics");
        return 0;
    }

    private static string Describe(Location location, string folder)
    {
        FileLinePositionSpan span = location.GetLineSpan();
        string line = location.SourceTree?.GetText().Lines[span.StartLinePosition.Line].ToString().Trim() ?? string.Empty;
        return $"{Path.GetRelativePath(folder, span.Path)}:{span.StartLinePosition.Line + 1}: {line}";
    }

    private static bool IsManagedAssembly(string path)
    {
        using FileStream stream = File.OpenRead(path);
        using var reader = new PEReader(stream);
        return reader.HasMetadata;
    }
}
