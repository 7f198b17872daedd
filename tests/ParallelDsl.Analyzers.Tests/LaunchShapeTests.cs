using Microsoft.CodeAnalysis;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>
/// Every shape of method a user can mark [RunInThread] or [RunInProcess] either gets a launcher that compiles, or one
/// PDSL error at the method saying why — never neither (a bare "'StartWork' does not exist"), never a second error
/// at the call. The generator and the analyzers decide this from one definition (LaunchTarget), and this test holds
/// them to it: each declaration below is compiled with the generator, then with every analyzer, and is called.
/// </summary>
public sealed class LaunchShapeTests
{
    private const string Launcher = "launcher";

    public static TheoryData<string, string, string, string> Shapes => new()
    {
        // name, declaration (the marked method is Work), the call of its launcher, what must happen
        { "static void on a thread", "static partial class Jobs { [RunInThread] public static void Work() { } }", "Jobs.StartWork()", Launcher },
        { "static result in a process", "static partial class Jobs { [RunInProcess] public static int Work(int n) => n; }", "Jobs.StartWork(1)", Launcher },
        { "instance method on a thread", "partial class Jobs { [RunInThread] public void Work() { } }", "new Jobs().StartWork()", Launcher },
        { "instance method in a process, object copied whole", "partial class Jobs { public int Factor { get; set; } [RunInProcess] public int Work(int n) => n * Factor; }", "new Jobs().StartWork(1)", Launcher },
        { "instance method in a process, state left behind", "partial class Jobs { private int _factor = 2; [RunInProcess] public int Work(int n) => n * _factor; }", "new Jobs().StartWork(1)", "PDSL0009" },
        { "record instance method", "partial record Jobs { [RunInThread] public int Work() => 1; }", "new Jobs().StartWork()", Launcher },
        { "struct instance method", "partial struct Jobs { [RunInThread] public void Work() { } }", "new Jobs().StartWork()", "PDSL0013" },
        { "struct static method", "partial struct Jobs { [RunInProcess] public static int Work(int n) => n; }", "Jobs.StartWork(1)", Launcher },
        { "nested public type", "partial class Outer { public partial class Jobs { [RunInProcess] public static int Work(int n) => n; } }", "Outer.Jobs.StartWork(1)", Launcher },
        { "private nested type, thread", "partial class Outer { private partial class Jobs { [RunInThread] public static void Work() { } } static void Call() => Jobs.StartWork(); }", "0", Launcher },
        { "private nested type, process", "partial class Outer { private partial class Jobs { [RunInProcess] public static int Work(int n) => n; } static void Call() => Jobs.StartWork(1); }", "0", Launcher },
        { "private nested types, process, in pools", "partial class Outer { partial class Hidden { private partial class Jobs { [RunInProcess] public static int Work(int n) => n; [RunInProcess] static void Log(int n) { } [RunInProcess] static void Setup() { } static int[] Run(ProcessPool pool) { pool.Map(Log, [1]); using var other = new ProcessPool(initializer: ProcessAction.Of(Setup)); return pool.Map(Work, [1]); } } } }", "0", Launcher },
        { "protected nested type, process", "partial class Outer { protected partial class Jobs { [RunInProcess] public static int Work(int n) => n; } }", "0", Launcher },
        { "protected internal nested type, process", "partial class Outer { protected internal partial class Jobs { [RunInProcess] public static int Work(int n) => n; } }", "Outer.Jobs.StartWork(1)", Launcher },
        { "generic outer type, thread", "partial class Jobs<T> { [RunInThread] public static void Work(T item) { } }", "Jobs<int>.StartWork(1)", Launcher },
        { "generic outer type, process", "partial class Jobs<T> { [RunInProcess] public static int Work(int n) => n; }", "Jobs<int>.StartWork(1)", "PDSL0013" },
        { "file-local type", "file static partial class Jobs { [RunInThread] public static void Work() { } }", "0", "PDSL0013" },
        { "interface method", "partial interface IJobs { [RunInThread] static void Work() { } }", "0", "PDSL0013" },
        { "non-partial type", "static class Jobs { [RunInThread] public static void Work() { } }", "0", "PDSL0006" },
        { "partial type in a non-partial type", "class Outer { public partial class Jobs { [RunInThread] public static void Work() { } } }", "0", "PDSL0006" },
        { "abstract method", "abstract partial class Jobs { [RunInThread] public abstract void Work(); }", "default(Jobs)!.StartWork()", "PDSL0013" },
        { "virtual method", "partial class Jobs { [RunInThread] public virtual void Work() { } }", "new Jobs().StartWork()", Launcher },
        { "extern static method", "static partial class Jobs { [RunInThread] [System.Runtime.InteropServices.DllImport(\"libc\")] public static extern int getpid(); [RunInThread] public static void Work() { } }", "Jobs.StartWork()", Launcher },
        { "partial method", "static partial class Jobs { [RunInThread] public static partial void Work(); public static partial void Work() { } }", "Jobs.StartWork()", Launcher },
        { "generic method", "static partial class Jobs { [RunInThread] public static void Work<T>(T item) { } }", "Jobs.StartWork(1)", "PDSL0007" },
        { "local function", "static partial class Jobs { static void Outer() { [RunInThread] static void Work() { } Work(); } }", "0", "PDSL0013" },
        { "operator", "partial class Jobs { [RunInThread] public static Jobs operator +(Jobs a, Jobs b) => a; }", "0", "PDSL0013" },
        { "ref parameter", "static partial class Jobs { [RunInThread] public static void Work(ref int n) { } }", "Jobs.StartWork(ref number)", "PDSL0008" },
        { "out parameter", "static partial class Jobs { [RunInProcess] public static void Work(out int n) => n = 1; }", "Jobs.StartWork(out number)", "PDSL0008" },
        { "in parameter", "static partial class Jobs { [RunInThread] public static void Work(in int n) { } }", "Jobs.StartWork(in number)", "PDSL0008" },
        { "ref readonly parameter", "static partial class Jobs { [RunInThread] public static void Work(ref readonly int n) { } }", "Jobs.StartWork(ref number)", "PDSL0008" },
        { "pointer parameter", "static unsafe partial class Jobs { [RunInThread] public static void Work(int* n) { } }", "0", "PDSL0008" },
        { "Span parameter, thread", "static partial class Jobs { [RunInThread] public static void Work(System.Span<int> items) { } }", "Jobs.StartWork(new int[1])", "PDSL0008" },
        { "Span parameter, process", "static partial class Jobs { [RunInProcess] public static int Work(System.ReadOnlySpan<int> items) => 1; }", "Jobs.StartWork(new int[1])", "PDSL0008" },
        { "params array, thread", "static partial class Jobs { [RunInThread] public static int Work(params int[] items) => items.Length; }", "Jobs.StartWork(1, 2, 3)", Launcher },
        { "params array, process", "static partial class Jobs { [RunInProcess] public static int Work(params int[] items) => items.Length; }", "Jobs.StartWork(1, 2, 3)", Launcher },
        { "params span", "static partial class Jobs { [RunInThread] public static void Work(params System.ReadOnlySpan<int> items) { } }", "Jobs.StartWork(1, 2)", "PDSL0008" },
        { "params list", "static partial class Jobs { [RunInThread] public static int Work(params System.Collections.Generic.List<int> items) => items.Count; }", "Jobs.StartWork(1, 2)", Launcher },
        { "default values", "static partial class Jobs { [RunInProcess] public static string Work(int n = 3, string s = \"x\", double d = double.NaN) => s; }", "Jobs.StartWork()", Launcher },
        { "parameter named options", "static partial class Jobs { [RunInProcess] public static int Work(int options) => options; }", "Jobs.StartWork(1, new ProcessOptions())", Launcher },
        { "ref return", "static partial class Jobs { static int s; [RunInThread] public static ref int Work() => ref s; }", "Jobs.StartWork()", "PDSL0013" },
        { "ref readonly return", "static partial class Jobs { static int s; [RunInProcess] public static ref readonly int Work() => ref s; }", "Jobs.StartWork()", "PDSL0013" },
        { "Span return", "static partial class Jobs { [RunInThread] public static System.Span<int> Work() => default; }", "Jobs.StartWork()", "PDSL0013" },
        { "pointer return on a thread", "static unsafe partial class Jobs { [RunInThread] public static int* Work() => null; }", "Jobs.StartWork()", "PDSL0013" },
        { "async Task", "static partial class Jobs { [RunInThread] public static async System.Threading.Tasks.Task Work() => await System.Threading.Tasks.Task.Yield(); }", "Jobs.StartWork()", Launcher },
        { "async Task<int> in a process", "static partial class Jobs { [RunInProcess] public static async System.Threading.Tasks.Task<int> Work() { await System.Threading.Tasks.Task.Yield(); return 1; } }", "Jobs.StartWork()", Launcher },
        { "ValueTask", "static partial class Jobs { [RunInThread] public static System.Threading.Tasks.ValueTask Work() => default; }", "Jobs.StartWork()", Launcher },
        { "ValueTask<int>", "static partial class Jobs { [RunInProcess] public static System.Threading.Tasks.ValueTask<int> Work() => new(1); }", "Jobs.StartWork()", Launcher },
        { "async void", "static partial class Jobs { [RunInThread] public static async void Work() => await System.Threading.Tasks.Task.Yield(); }", "Jobs.StartWork()", Launcher },
        { "Stream parameter in a process", "static partial class Jobs { [RunInProcess] public static long Work(System.IO.Stream s) => s.Length; }", "Jobs.StartWork(System.IO.Stream.Null)", "PDSL0005" },
        { "delegate result in a process", "static partial class Jobs { [RunInProcess] public static System.Action Work() => () => { }; }", "Jobs.StartWork()", "PDSL0005" },
        { "Stream parameter on a thread", "static partial class Jobs { [RunInThread] public static long Work(System.IO.Stream s) => s.Length; }", "Jobs.StartWork(System.IO.Stream.Null)", Launcher },
        { "record argument in a process", "public sealed record Item(int Id, string Name); static partial class Jobs { [RunInProcess] public static string Work(Item item) => item.Name; }", "Jobs.StartWork(new Item(1, \"a\"))", Launcher },
        { "keyword parameter", "static partial class Jobs { [RunInProcess] public static int Work(int @class) => @class; }", "Jobs.StartWork(1)", Launcher },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Each_shape_gets_a_launcher_or_one_diagnostic_never_neither(string shape, string declaration, string call, string expected)
    {
        string source = $$"""
            using ParallelDsl;
            namespace Demo;
            {{declaration}}
            static class Caller
            {
                static void Call()
                {
                    int number = 0;
                    _ = number;
                    _ = {{call}};
                }
            }
            """;
        Compilation compilation = TestCompilation.WithGeneratedSources(
            TestCompilation.Create([TestCompilation.Parse(source, TestCompilation.SourcePath(0))], OutputKind.DynamicallyLinkedLibrary));
        Diagnostic[] reported = TestCompilation.Analyze(compilation, TestCompilation.AllAnalyzers)
            .Where(d => d.Id.StartsWith("PDSL", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error)
            .ToArray();
        Diagnostic[] compilerErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();

        if (expected == Launcher)
        {
            Assert.True(reported.Length == 0, $"{shape}: reported {string.Join("; ", reported.Select(d => d.ToString()))}");
            Assert.True(compilerErrors.Length == 0, $"{shape}: the launcher does not compile: {string.Join("; ", compilerErrors.Select(d => d.ToString()))}");
            Assert.Contains(compilation.SyntaxTrees, tree => tree.ToString().Contains("StartWork(", StringComparison.Ordinal) && !tree.ToString().Contains("has no launcher", StringComparison.Ordinal) && tree.FilePath != TestCompilation.SourcePath(0));
            return;
        }

        Diagnostic diagnostic = Assert.Single(reported);
        Assert.True(diagnostic.Id == expected, $"{shape}: expected {expected}, got {diagnostic}");
        Assert.True(diagnostic.Location.SourceSpan.Start < source.IndexOf("static class Caller", StringComparison.Ordinal), $"{shape}: {diagnostic} is not at the declaration");
        // One error per mistake: the call of the launcher binds (to a stub), so the compiler adds nothing of its own.
        Assert.True(compilerErrors.Length == 0, $"{shape}: besides {expected}, the compiler reports {string.Join("; ", compilerErrors.Select(d => d.ToString()))}");
    }
}
