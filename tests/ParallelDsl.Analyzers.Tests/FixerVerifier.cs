using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>
/// Applies code fixes the way an IDE does: the analyzers report on a workspace project, the fixer registers its
/// actions, and the chosen action's changed solution is compared with the expected source.
/// </summary>
internal static class FixerVerifier
{
    /// <summary>
    /// Fixes the one diagnostic marked in <paramref name="markup"/> with the action named by
    /// <paramref name="equivalenceKey"/> (or the only action) and asserts the result is <paramref name="expected"/>.
    /// </summary>
    public static async Task VerifyFixAsync(CodeFixProvider fixer, string markup, string expected, string? equivalenceKey = null, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        Markup parsed = Markup.Parse(markup);
        Project project = CreateProject([parsed.Source], outputKind);
        Document document = project.Documents.First();
        ImmutableArray<Diagnostic> diagnostics = await FixableDiagnosticsAsync(fixer, project);
        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal(Assert.Single(parsed.Expected).Span, diagnostic.Location.SourceSpan);

        var actions = new List<CodeAction>();
        await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        CodeAction chosen = equivalenceKey is null ? Assert.Single(actions) : Assert.Single(actions, a => a.EquivalenceKey == equivalenceKey);
        Assert.NotNull(chosen.EquivalenceKey);

        Solution changed = await ApplyAsync(chosen);
        Assert.Equal(expected, (await changed.GetDocument(document.Id)!.GetTextAsync()).ToString());
    }

    /// <summary>Asserts the fixer offers nothing for the one diagnostic marked in <paramref name="markup"/>.</summary>
    public static async Task VerifyNoFixAsync(CodeFixProvider fixer, string markup, string? equivalenceKey = null)
    {
        Markup parsed = Markup.Parse(markup);
        Project project = CreateProject([parsed.Source], OutputKind.DynamicallyLinkedLibrary);
        Diagnostic diagnostic = Assert.Single(await FixableDiagnosticsAsync(fixer, project));
        var actions = new List<CodeAction>();
        await fixer.RegisterCodeFixesAsync(new CodeFixContext(project.Documents.First(), diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        Assert.DoesNotContain(actions, a => equivalenceKey is null || a.EquivalenceKey == equivalenceKey);
    }

    /// <summary>
    /// Runs Fix All with <paramref name="scope"/> from the first document and asserts every document then reads as
    /// in <paramref name="expected"/>.
    /// </summary>
    public static async Task VerifyFixAllAsync(CodeFixProvider fixer, FixAllScope scope, string equivalenceKey, string[] sources, string[] expected)
    {
        Project project = CreateProject(sources, OutputKind.DynamicallyLinkedLibrary);
        ImmutableArray<Diagnostic> diagnostics = await FixableDiagnosticsAsync(fixer, project);
        Assert.NotEmpty(diagnostics);

        FixAllProvider provider = fixer.GetFixAllProvider()!;
        Assert.Contains(scope, provider.GetSupportedFixAllScopes());
        var context = new FixAllContext(project.Documents.First(), fixer, scope, equivalenceKey, fixer.FixableDiagnosticIds,
            new FixedDiagnostics(diagnostics), CancellationToken.None);
        CodeAction action = (await provider.GetFixAsync(context))!;
        Solution changed = await ApplyAsync(action);

        string[] actual = await Task.WhenAll(project.Documents.Take(sources.Length).Select(async d => (await changed.GetDocument(d.Id)!.GetTextAsync()).ToString()));
        Assert.Equal(expected, actual);
    }

    private static Project CreateProject(string[] sources, OutputKind outputKind)
    {
        var workspace = new AdhocWorkspace();
        ProjectId id = ProjectId.CreateNewId();
        Solution solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(id, VersionStamp.Default, "UserProgram", "UserProgram", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true),
                parseOptions: TestCompilation.ParseOptions,
                metadataReferences: TestCompilation.References));
        for (int i = 0; i < sources.Length; i++)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(id), $"Test{i}.cs", SourceText.From(sources[i]), filePath: TestCompilation.SourcePath(i));
        }

        return solution.GetProject(id)!;
    }

    private static async Task<ImmutableArray<Diagnostic>> FixableDiagnosticsAsync(CodeFixProvider fixer, Project project)
    {
        Compilation compilation = (await project.GetCompilationAsync())!;
        return [.. TestCompilation.Analyze(compilation, TestCompilation.AllAnalyzers)
            .Where(d => fixer.FixableDiagnosticIds.Contains(d.Id))
            .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)];
    }

    private static async Task<Solution> ApplyAsync(CodeAction action)
    {
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        return Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
    }

    /// <summary>Hands Fix All the diagnostics the analyzers reported, by document.</summary>
    private sealed class FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult(diagnostics.Where(d => d.Location.SourceTree?.FilePath == document.FilePath));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}
