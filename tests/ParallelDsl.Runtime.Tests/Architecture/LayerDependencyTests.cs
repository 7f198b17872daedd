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
    private static readonly Lazy<RuntimeSources> Sources = new(RuntimeSources.Load);

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
    public void The_scan_sees_a_dependency_where_there_is_one()
    {
        // Guards the guard: the process pool's workers do use the transport and the engine.
        Assert.NotEmpty(Sources.Value.Dependencies("Pools/Local", "Transport"));
        Assert.NotEmpty(Sources.Value.Dependencies("Pools/Local", "Pools/Engine"));
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

        public static RuntimeSources Load()
        {
            var sources = new RuntimeSources();
            string root = FindRuntimeSources();
            foreach (string path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
                if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal))
                {
                    continue;
                }

                string code = StripCommentsAndStrings(File.ReadAllText(path));
                sources._codeOfFile[relative] = code;
                string folder = Path.GetDirectoryName(relative)!.Replace('\\', '/');
                foreach (Match declaration in Declaration().Matches(code))
                {
                    sources._folderOfType.TryAdd(declaration.Groups["name"].Value, folder);
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

        private static string StripCommentsAndStrings(string code) => Noise().Replace(code, match => match.Value.StartsWith('/') ? " " : "\"\"");

        // Top-level declarations only (file-scoped namespaces leave them unindented): a nested type's short name is
        // no dependency of the files that happen to use the same word.
        [GeneratedRegex(@"^(?:[a-z]+ )*(?:class|struct|interface|enum|record|delegate [\w<>\[\]?,. ]+?) (?<name>[A-Z]\w*)", RegexOptions.Multiline)]
        private static partial Regex Declaration();

        // A name followed by an argument list is a method call (a method may share a type's name), unless it is constructed.
        [GeneratedRegex(@"\bnew (?<name>[A-Z]\w*)|\b(?<name>[A-Z]\w*)\b(?!\s*\()")]
        private static partial Regex Identifier();

        // Comments (a cref is documentation, not a dependency) and string literals, raw and interpolated ones included.
        [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|""""""[\s\S]*?""""""|@""(?:[^""]|"""")*""|\$?""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
        private static partial Regex Noise();
    }
}
