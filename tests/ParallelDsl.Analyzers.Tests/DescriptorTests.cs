using System.Reflection;
using Microsoft.CodeAnalysis;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>Every rule is documented, tracked for release, and reported by exactly one analyzer.</summary>
public class DescriptorTests
{
    public static readonly TheoryData<string> Ids = [.. AllDescriptors().Select(d => d.Id)];

    [Fact]
    public void Ids_are_sequential_from_PDSL0001()
    {
        string[] ids = AllDescriptors().Select(d => d.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Enumerable.Range(1, ids.Length).Select(i => $"PDSL{i:0000}"), ids);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_rule_has_a_docs_page_its_help_link_points_to(string id)
    {
        DiagnosticDescriptor descriptor = AllDescriptors().Single(d => d.Id == id);
        Assert.Equal($"https://github.com/paralleldsl/paralleldsl/blob/main/docs/diagnostics/{id}.md", descriptor.HelpLinkUri);

        string page = Repository.PathOf("docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(page), $"Missing docs page {page}.");
        string text = File.ReadAllText(page);
        Assert.StartsWith($"# {id}: {descriptor.Title}", text, StringComparison.Ordinal);
        foreach (string section in new[] { "## What it reports", "## Why", "## Example", "## How to fix", "## Configure" })
        {
            Assert.Contains(section, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_rule_is_in_the_unshipped_release_with_its_category_and_severity(string id)
    {
        DiagnosticDescriptor descriptor = AllDescriptors().Single(d => d.Id == id);
        string[] lines = File.ReadAllLines(Repository.PathOf("src", "Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains(lines, line => line.StartsWith($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_rule_is_reported_by_exactly_one_analyzer(string id) =>
        Assert.Single(TestCompilation.AllAnalyzers, analyzer => analyzer.SupportedDiagnostics.Any(d => d.Id == id));

    private static IEnumerable<DiagnosticDescriptor> AllDescriptors() =>
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
            .Select(field => (DiagnosticDescriptor)field.GetValue(null)!);
}

/// <summary>The code fixes are exported the way IDEs find them, each for rules that exist, each with Fix All.</summary>
public class FixerCatalogTests
{
    [Fact]
    public void Every_fixer_is_exported_for_csharp_fixes_existing_rules_and_supports_fix_all()
    {
        Type[] fixers = typeof(ParallelDsl.CodeFixes.UnguardedSharedStateFixer).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider).IsAssignableFrom(type))
            .ToArray();
        HashSet<string> ids = [.. TestCompilation.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id)];

        Assert.Equal(["PDSL0001", "PDSL0002", "PDSL0003", "PDSL0006", "PDSL0009"],
            fixers.SelectMany(type => ((Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider)Activator.CreateInstance(type)!).FixableDiagnosticIds)
                .Order(StringComparer.Ordinal));
        foreach (Type type in fixers)
        {
            var export = type.GetCustomAttribute<Microsoft.CodeAnalysis.CodeFixes.ExportCodeFixProviderAttribute>();
            Assert.True(export is not null && export.Languages.Contains(LanguageNames.CSharp), $"{type.Name} is not exported for C#.");
            var fixer = (Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider)Activator.CreateInstance(type)!;
            Assert.All(fixer.FixableDiagnosticIds, id => Assert.Contains(id, ids));
            Assert.NotNull(fixer.GetFixAllProvider());
        }
    }
}
