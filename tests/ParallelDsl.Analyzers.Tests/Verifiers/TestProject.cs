using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace ParallelDsl.Analyzers.Tests.Verifiers;

/// <summary>
/// What every test project of the standard Roslyn test frameworks is built like here: a user's project on .NET 10
/// with the ParallelDsl runtime referenced, the generator's output added, and the generated pool interceptors allowed.
/// </summary>
internal static class TestProject
{
    /// <summary>
    /// The .NET 10 reference assemblies from the SDK's own targeting pack, so no package has to be downloaded
    /// (<c>ReferenceAssemblies.Net.Net100</c> asks for one that may not be served).
    /// </summary>
    public static readonly ReferenceAssemblies ReferenceAssemblies = new("net10.0");

    /// <summary>The targeting pack's assemblies and the ParallelDsl runtime.</summary>
    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. Directory.GetFiles(TargetingPackFolder(), "*.dll").Select(path => MetadataReference.CreateFromFile(path)),
        MetadataReference.CreateFromFile(typeof(RunInThreadAttribute).Assembly.Location),
    ];

    /// <summary>Applies the project settings to a test's solution: language version, nullable context, interceptors.</summary>
    public static Solution Configure(Solution solution, ProjectId projectId)
    {
        Project project = solution.GetProject(projectId)!;
        var parse = ((CSharpParseOptions)project.ParseOptions!)
            .WithLanguageVersion(LanguageVersion.Preview)
            .WithFeatures([new("InterceptorsNamespaces", "ParallelDsl.Generated")]);
        var compilation = ((CSharpCompilationOptions)project.CompilationOptions!)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithAllowUnsafe(true);
        return solution.WithProjectParseOptions(projectId, parse).WithProjectCompilationOptions(projectId, compilation);
    }

    /// <summary>Sets up <paramref name="state"/> like a user's project.</summary>
    public static void Apply(SolutionState state)
    {
        state.ReferenceAssemblies = ReferenceAssemblies;
        state.AdditionalReferences.AddRange(References);
    }

    private static string TargetingPackFolder()
    {
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string packs = Path.GetFullPath(Path.Combine(runtime, "..", "..", "..", "packs", "Microsoft.NETCore.App.Ref"));
        string version = Path.GetFileName(runtime);
        string exact = Path.Combine(packs, version, "ref", "net10.0");
        return Directory.Exists(exact)
            ? exact
            : Directory.GetDirectories(packs).Select(d => Path.Combine(d, "ref", "net10.0")).Where(Directory.Exists).OrderDescending(StringComparer.Ordinal).First();
    }
}
