using System.Text.RegularExpressions;

namespace ParallelDsl.Runtime.Tests.Architecture;

/// <summary>
/// The runtime's folders are its layers, and dependencies point one way: the pool engine sees only the worker-side
/// abstractions, workers build on the protocol and the transport, and nothing below the pools knows about them. The
/// test reads the sources: it finds which folder declares each type, then which types each file's code names
/// (comments and strings aside), so a new dependency against the direction fails here with the file and the type.
/// </summary>
public sealed partial class LayerDependencyTests
{
    private static readonly Lazy<RuntimeSources> Sources = new(() => RuntimeSources.Load(FindRuntimeSources()));

    [Fact]
    public void The_pool_engine_uses_only_worker_side_abstractions()
    {
        AssertNoDependency("Pools/Engine", ["Protocol", "Transport", "Workers", "Pools/Local", "GeneratedSupport", "Interop", "SharedMemory", "Queues"]);
    }

    [Fact]
    public void Nothing_below_the_pools_depends_on_them()
    {
        foreach (string layer in (string[])["Protocol", "Transport", "Workers", "SharedMemory", "Queues", "Interop"])
        {
            AssertNoDependency(layer, ["Pools"]);
        }
    }

    [Fact]
    public void Workers_build_on_the_protocol_and_the_transport_never_the_reverse()
    {
        AssertNoDependency("Protocol", ["Transport", "Workers"]);
        AssertNoDependency("Transport", ["Workers"]);
        AssertNoDependency("Workers/Child", ["Workers/Parent"]);
        Assert.NotEmpty(Sources.Value.Dependencies("Workers", "Protocol"));
        Assert.NotEmpty(Sources.Value.Dependencies("Workers", "Transport"));
    }

    [Fact]
    public void Of_what_only_generated_code_calls_workers_name_the_dispatch_table_alone()
    {
        // The child runs the generated invokers, so it must find them; the parent side needs nothing generated.
        AssertNoDependency("Workers/Parent", ["GeneratedSupport"]);
        string[] found = [.. Sources.Value.Dependencies("Workers/Child", "GeneratedSupport")
            .Where(dependency => !dependency.Contains(": ProcessDispatch (", StringComparison.Ordinal)
                                 && !dependency.Contains(": ProcessMethod (", StringComparison.Ordinal))];
        Assert.True(found.Length == 0, "Workers/Child may name only ProcessDispatch and ProcessMethod of GeneratedSupport, but:\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_scan_reports_a_type_declared_in_a_block_namespace_and_skips_nested_types()
    {
        // Guards the guard on sources made for it: the violations are real, so an empty answer is a blind scan.
        RuntimeSources sources = RuntimeSources.From(new Dictionary<string, string>
        {
            ["Protocol/Frame.cs"] = "namespace ParallelDsl.Wire\n{\n    internal sealed class Frame\n    {\n        private sealed class Cursor { }\n    }\n}\n",
            ["Workers/Child/Host.cs"] = "namespace ParallelDsl\n{\n    internal static class Host { }\n}\n\ninternal static class StartupHook { }\n",
            ["Pools/Engine/Scheduler.cs"] =
                "namespace ParallelDsl;\n\ninternal sealed class Scheduler\n{\n    private char _open = '{';\n    private Frame? _frame; // Host\n    private Cursor? _cursor;\n}\n",
            ["Pools/Engine/Starter.cs"] = "namespace ParallelDsl;\n\ninternal sealed class Starter\n{\n    public void Run() => StartupHook.Touch();\n    private Host? _host;\n}\n",
        });

        Assert.Equal(["Pools/Engine/Scheduler.cs: Frame (Protocol)"], sources.Dependencies("Pools/Engine", "Protocol"));
        Assert.Equal(["Pools/Engine/Starter.cs: Host (Workers/Child)", "Pools/Engine/Starter.cs: StartupHook (Workers/Child)"],
                     sources.Dependencies("Pools/Engine", "Workers").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_scan_sees_a_dependency_where_there_is_one()
    {
        // Guards the guard: the process pool's workers do use the transport and the engine.
        Assert.NotEmpty(Sources.Value.Dependencies("Pools/Local", "Transport"));
        Assert.NotEmpty(Sources.Value.Dependencies("Pools/Local", "Pools/Engine"));
    }

    private static string FindRuntimeSources()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "src", "Runtime");
            if (File.Exists(Path.Combine(candidate, "ParallelDsl.Runtime.csproj")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No src/Runtime above {AppContext.BaseDirectory}: the test reads the runtime's sources.");
    }

    private static void AssertNoDependency(string from, string[] forbidden)
    {
        string[] found = [.. forbidden.SelectMany(to => Sources.Value.Dependencies(from, to))];
        Assert.True(found.Length == 0, $"{from} must not depend on {string.Join(", ", forbidden)}, but:\n" + string.Join("\n", found));
    }

    private sealed partial class RuntimeSources
    {
        private readonly Dictionary<string, string> _folderOfType = [];
        private readonly Dictionary<string, string> _codeOfFile = [];

        /// <summary>Reads every source file under <paramref name="root"/>, build output aside.</summary>
        public static RuntimeSources Load(string root)
        {
            var files = new Dictionary<string, string>();
            foreach (string path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
                if (!relative.StartsWith("obj/", StringComparison.Ordinal) && !relative.StartsWith("bin/", StringComparison.Ordinal))
                {
                    files[relative] = File.ReadAllText(path);
                }
            }

            return From(files);
        }

        /// <summary>The scan of <paramref name="files"/>: the text of each file, by its path under the runtime's folder.</summary>
        public static RuntimeSources From(IReadOnlyDictionary<string, string> files)
        {
            var sources = new RuntimeSources();
            foreach ((string relative, string text) in files)
            {
                string code = StripCommentsAndStrings(text);
                sources._codeOfFile[relative] = code;
                string folder = Path.GetDirectoryName(relative)!.Replace('\\', '/');
                foreach (Match declaration in Declaration().Matches(code))
                {
                    if (IsTopLevel(code, declaration.Index))
                    {
                        sources._folderOfType.TryAdd(declaration.Groups["name"].Value, folder);
                    }
                }
            }

            return sources;
        }

        /// <summary>"file: type (folder)" for every type declared under <paramref name="to"/> named by code under <paramref name="from"/>.</summary>
        public IEnumerable<string> Dependencies(string from, string to)
        {
            foreach ((string file, string code) in _codeOfFile)
            {
                string folder = Path.GetDirectoryName(file)!.Replace('\\', '/');
                if (!IsUnder(folder, from) || IsUnder(folder, to))
                {
                    continue;
                }

                foreach (string name in Identifier().Matches(code).Select(m => m.Groups["name"].Value).Distinct())
                {
                    if (_folderOfType.TryGetValue(name, out string? declaredIn) && IsUnder(declaredIn, to) && !IsUnder(declaredIn, from))
                    {
                        yield return $"{file}: {name} ({declaredIn})";
                    }
                }
            }
        }

        private static bool IsUnder(string folder, string layer) =>
            folder == layer || folder.StartsWith(layer + "/", StringComparison.Ordinal);

        /// <summary>
        /// Whether every brace open at <paramref name="position"/> is a namespace's: a type declared in a file-scoped
        /// namespace, in a block namespace or in none is top-level; one inside another type is nested.
        /// </summary>
        private static bool IsTopLevel(string code, int position)
        {
            int statementStart = 0;
            int typeDepth = 0;
            var opensNamespace = new Stack<bool>();
            for (int i = 0; i < position; i++)
            {
                switch (code[i])
                {
                    case '{':
                        bool isNamespace = code.AsSpan(statementStart, i - statementStart).TrimStart().StartsWith("namespace ", StringComparison.Ordinal);
                        opensNamespace.Push(isNamespace);
                        typeDepth += isNamespace ? 0 : 1;
                        statementStart = i + 1;
                        break;
                    case '}':
                        if (opensNamespace.TryPop(out bool closedNamespace) && !closedNamespace)
                        {
                            typeDepth--;
                        }

                        statementStart = i + 1;
                        break;
                    case ';':
                        statementStart = i + 1;
                        break;
                }
            }

            return typeDepth == 0;
        }

        private static string StripCommentsAndStrings(string code) => Noise().Replace(code, match => match.Value.StartsWith('/') ? " " : "\"\"");

        // Every declaration, indented or not; IsTopLevel keeps the top-level ones: a nested type's short name is no
        // dependency of the files that happen to use the same word.
        [GeneratedRegex(@"^[ \t]*(?:[a-z]+ )*(?:class|struct|interface|enum|record|delegate [\w<>\[\]?,. ]+?) (?<name>[A-Z]\w*)", RegexOptions.Multiline)]
        private static partial Regex Declaration();

        // A name followed by an argument list is a method call (a method may share a type's name), unless it is constructed.
        [GeneratedRegex(@"\bnew (?<name>[A-Z]\w*)|\b(?<name>[A-Z]\w*)\b(?!\s*\()")]
        private static partial Regex Identifier();

        // Comments (a cref is documentation, not a dependency), string literals (raw and interpolated ones included)
        // and character literals, so that no brace in them counts.
        [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|""""""[\s\S]*?""""""|@""(?:[^""]|"""")*""|\$?""(?:[^""\\\n]|\\.)*""|'(?:[^'\\\n]|\\.)+'", RegexOptions.Singleline)]
        private static partial Regex Noise();
    }
}
