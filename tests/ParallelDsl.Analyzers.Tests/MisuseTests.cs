namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0006–PDSL0009: declarations the generator cannot write a launcher for.</summary>
public class MisuseTests
{
    [Fact]
    public void Method_of_a_non_partial_type_is_reported_with_the_type_named()
    {
        var diagnostics = AnalyzerVerifier.Verify("""
            using ParallelDsl;
            class Downloads
            {
                [RunInThread] static void {|PDSL0006:Fetch|}(string url) { }
            }
            """);

        Assert.Contains("containing type 'Downloads' is not partial", diagnostics.Single(d => d.Id == "PDSL0006").GetMessage());
    }

    [Fact]
    public void Method_of_a_partial_type_nested_in_a_non_partial_type_is_reported()
    {
        AnalyzerVerifier.Verify("""
            using ParallelDsl;
            class Outer
            {
                partial class Inner
                {
                    [RunInProcess] static int {|PDSL0006:Square|}(int n) => n * n;
                }
            }
            """);
    }

    [Fact]
    public void Methods_of_partial_types_and_unmarked_methods_are_not_reported()
    {
        AnalyzerVerifier.Verify("""
            using ParallelDsl;
            partial class Outer
            {
                internal partial class Inner
                {
                    [RunInThread] static void Fetch(string url) { }
                    [RunInProcess] static int Square(int n) => n * n;
                }

                partial class Hidden
                {
                    [RunInThread] static void Fetch(string url) { }
                    [RunInProcess] static int Square(int n) => n * n;
                }
            }
            class Plain
            {
                static void Helper<T>(ref T value) { }
                void Instance() { }
            }
            partial struct Point
            {
                [RunInThread] static void Print() { }
            }
            """);
    }

    [Fact]
    public void Shapes_no_launcher_can_be_written_for_are_reported_with_the_reason()
    {
        var diagnostics = AnalyzerVerifier.Verify("""
            using ParallelDsl;
            partial class Outer<T>
            {
                [RunInProcess] static int {|PDSL0013:Square|}(int n) => n * n;
            }
            partial struct Point
            {
                [RunInThread] void {|PDSL0013:Print|}() { }
            }
            abstract partial class Job
            {
                [RunInThread] protected abstract void {|PDSL0013:Run|}();
            }
            partial class Cells
            {
                static int s_cell;
                [RunInThread] static {|PDSL0013:ref int|} Cell() => ref s_cell;
            }
            file partial class Local
            {
                [RunInThread] static void {|PDSL0013:Work|}() { }
            }
            """);

        string[] messages = diagnostics.Where(d => d.Id == "PDSL0013").Select(d => d.GetMessage()).Order(StringComparer.Ordinal).ToArray();
        Assert.Contains(messages, m => m.Contains("'Outer<T>' is generic", StringComparison.Ordinal) && m.Contains("non-generic type", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("instance method of a struct", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("abstract", StringComparison.Ordinal) && m.Contains("override", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("returns by reference", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("file-local", StringComparison.Ordinal));
    }

    [Fact]
    public void Generic_methods_are_reported()
    {
        AnalyzerVerifier.Verify("""
            using ParallelDsl;
            partial class Jobs
            {
                [RunInThread] static void {|PDSL0007:Log|}<T>(T value) { }
                [RunInProcess] static T {|PDSL0007:Echo|}<T>(T value) => value;
                [RunInProcess] static int NotGeneric(int value) => value;
                [RunInProcess] static int Count(System.Collections.Generic.List<int> values) => values.Count;
                [RunInThread] static void Print(System.Collections.Generic.Dictionary<string, int[]> table) { }
                static T Helper<T>(T value) => value;
            }
            """);
    }

    [Fact]
    public void By_ref_and_pointer_parameters_are_reported_on_the_parameter()
    {
        var diagnostics = AnalyzerVerifier.Verify("""
            using ParallelDsl;
            unsafe partial class Jobs
            {
                [RunInThread] static void Fill(ref int {|PDSL0008:total|}, out int {|PDSL0008:count|}) { count = 0; }
                [RunInThread] static void Read(in long {|PDSL0008:value|}) { }
                [RunInProcess] static void Poke(int* {|PDSL0008:address|}) { }
                [RunInProcess] static int ByValue(int total, params int[] rest) => total;
                [RunInThread] static void Defaults(string? name = null, long size = 0) { }
                [RunInThread] static void Locals(int[] values) { ref int first = ref values[0]; first++; }
                static void Unmarked(ref int total, out int count, int* address) { count = total; }
            }
            """);

        Assert.Contains(diagnostics, d => d.GetMessage().StartsWith("Parameter 'count' of [RunInThread] method 'Fill' is an out parameter", StringComparison.Ordinal));
    }

    [Fact]
    public void Instance_process_methods_are_reported_but_instance_thread_methods_are_fine()
    {
        AnalyzerVerifier.Verify("""
            using ParallelDsl;
            partial class Jobs
            {
                int _factor = 2;
                [RunInProcess] int {|PDSL0009:Scale|}(int n) => n * 2;
                [RunInThread] void Print() => System.Console.WriteLine(_factor);
                [RunInProcess] static int Square(int n) => n * n;
            }
            """);
    }
}
