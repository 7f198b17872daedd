using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ParallelDsl.Generator.Tests;

public class SharedValueGeneratorTests
{
    [Fact]
    public void Values_and_arrays_get_registry_backed_bodies_and_a_startup_initializer()
    {
        string generated = SingleSharedValueFile("""
            using ParallelDsl;

            namespace Demo;

            public static partial class Counters
            {
                [SharedValue] public static partial Shared<int> Hits { get; }
                [SharedValue(1.5)] internal static partial Shared<double> Ratio { get; }
                [SharedValue(Length = 10)] static partial SharedArray<long> Data { get; }
                [SharedValue(7, Length = 3)] private static partial SharedArray<byte> Flags { get; }
            }
            """);

        Snapshot.Match(generated, "SharedValue/ValuesAndArrays");
    }

    [Fact]
    public void Properties_of_a_private_nested_type_are_not_created_at_startup()
    {
        string generated = SharedValueFiles("""
            using ParallelDsl;

            partial class Program
            {
                private static partial class State
                {
                    [SharedValue(-3)] public static partial Shared<short> Level { get; }
                }

                internal enum Mode { Off, On }

                internal static partial class Settings
                {
                    [SharedValue(Mode.On)] public static partial Shared<Mode> Current { get; }
                }
            }
            """);

        Snapshot.Match(generated, "SharedValue/NestedTypes");
    }

    [Fact]
    public void Generated_code_compiles_without_diagnostics()
    {
        (GeneratorDriverRunResult result, Compilation output) = GeneratorHarness.Run("""
            using ParallelDsl;

            namespace Demo;

            public static partial class Counters
            {
                [SharedValue(5)] public static partial Shared<long> Total { get; }
                [SharedValue(Length = 4)] static partial SharedArray<int> Data { get; }

                public static long Sum() => Total.Value + Data[0];
            }
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Theory]
    [InlineData("[SharedValue] public static Shared<int> NotPartial { get; } = null!;")]
    [InlineData("[SharedValue] public partial Shared<int> NotStatic { get; }")]
    [InlineData("[SharedValue] public static partial int NotShared { get; }")]
    [InlineData("[SharedValue] public static partial Shared<int> WithSetter { get; set; }")]
    [InlineData("[SharedValue] public static partial SharedArray<int> ArrayWithoutLength { get; }")]
    [InlineData("[SharedValue(Length = -1)] public static partial SharedArray<int> NegativeLength { get; }")]
    [InlineData("[SharedValue(\"five\")] public static partial Shared<int> StringForInt { get; }")]
    [InlineData("[SharedValue(300)] public static partial Shared<byte> OutOfRange { get; }")]
    [InlineData("[SharedValue(1.5)] public static partial Shared<int> DoubleForInt { get; }")]
    public void Invalid_declarations_are_skipped_quietly(string member)
    {
        (GeneratorDriverRunResult result, _) = GeneratorHarness.Run($$"""
            using ParallelDsl;

            public static partial class Holder
            {
                {{member}}
            }
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.GeneratedTrees);
    }

    [Fact]
    public void Properties_of_generic_types_are_skipped_quietly()
    {
        (GeneratorDriverRunResult result, _) = GeneratorHarness.Run("""
            using ParallelDsl;

            public static partial class Holder<T>
            {
                [SharedValue] public static partial Shared<int> PerInstantiation { get; }
            }
            """);

        Assert.Empty(result.GeneratedTrees);
    }

    [Fact]
    public void The_segment_name_is_the_namespace_qualified_property_name()
    {
        string generated = SingleSharedValueFile("""
            using ParallelDsl;

            namespace A.B;

            public partial class Outer
            {
                public static partial class Inner
                {
                    [SharedValue] public static partial Shared<int> Counter { get; }
                }
            }
            """);

        Assert.Contains("\"A.B.Outer.Inner.Counter\"", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unrelated_edit_leaves_every_shared_value_step_cached()
    {
        const string Declarations = """
            using ParallelDsl;

            public static partial class Counters
            {
                [SharedValue(Length = 2)] public static partial SharedArray<int> Data { get; }
            }
            """;
        CSharpCompilation first = GeneratorHarness.Compile(Declarations, "class Unrelated { }");
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(first);
        CSharpCompilation second = first.ReplaceSyntaxTree(
            first.SyntaxTrees.Last(),
            CSharpSyntaxTree.ParseText("class Unrelated { int x; }", (CSharpParseOptions)first.SyntaxTrees.Last().Options, first.SyntaxTrees.Last().FilePath));

        GeneratorRunResult run = driver.RunGenerators(second).GetRunResult().Results.Single();

        foreach (string step in new[] { TrackingNames.SharedValues, TrackingNames.CollectedSharedValues, TrackingNames.SharedValueTypeModels })
        {
            Assert.All(
                run.TrackedSteps[step].SelectMany(s => s.Outputs),
                output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {output.Reason}"));
        }

        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void The_shared_value_models_hold_nothing_from_the_compilation()
    {
        Type[] forbidden = [typeof(ISymbol), typeof(SyntaxNode), typeof(SemanticModel), typeof(Compilation), typeof(Location), typeof(SyntaxTree)];
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([typeof(TypeSharedValuesModel)]);
        while (pending.TryPop(out Type? type))
        {
            if (!seen.Add(type) || type.IsPrimitive || type == typeof(string) || type.IsEnum)
            {
                continue;
            }

            Assert.DoesNotContain(forbidden, f => f.IsAssignableFrom(type));
            foreach (Type field in type.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic).Select(f => f.FieldType))
            {
                pending.Push(field.IsArray ? field.GetElementType()! : field);
            }

            foreach (Type argument in type.GenericTypeArguments)
            {
                pending.Push(argument);
            }
        }

        Assert.Contains(typeof(SharedValueModel), seen);
    }

    private static string SingleSharedValueFile(string source)
    {
        (GeneratorDriverRunResult result, Compilation output) = GeneratorHarness.Run(source);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        SyntaxTree tree = Assert.Single(result.GeneratedTrees, t => t.FilePath.EndsWith(".SharedValues.g.cs", StringComparison.Ordinal));
        return tree.GetText().ToString();
    }

    /// <summary>Every generated shared-value file, each introduced by its hint name, in hint-name order.</summary>
    private static string SharedValueFiles(string source)
    {
        (GeneratorDriverRunResult result, Compilation output) = GeneratorHarness.Run(source);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return string.Concat(result.Results.Single().GeneratedSources
            .OrderBy(s => s.HintName, StringComparer.Ordinal)
            .Select(s => $"// {s.HintName}\n{s.SourceText}"));
    }
}
