using System.Reflection;
using Microsoft.CodeAnalysis;

namespace ParallelDsl.Generator.Tests;

/// <summary>
/// Nothing from the compilation may survive the parse step, or the incremental pipeline keeps whole compilations
/// alive and never finds two runs equal. Every type named <c>…Model</c> in the generator assembly is walked, so
/// models added later are covered without touching this test.
/// </summary>
public sealed class ModelGraphTests
{
    private static readonly Type[] Forbidden =
    [
        typeof(ISymbol),
        typeof(SyntaxNode),
        typeof(SyntaxTree),
        typeof(SyntaxToken),
        typeof(SyntaxReference),
        typeof(Compilation),
        typeof(SemanticModel),
        typeof(Location),
        typeof(AttributeData),
        typeof(TypedConstant),
        typeof(Diagnostic),
    ];

    public static TheoryData<string> ModelTypes()
    {
        var data = new TheoryData<string>();
        foreach (Type type in GeneratorModels())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Fact]
    public void The_thread_models_are_among_the_walked_types()
    {
        string[] names = GeneratorModels().Select(type => type.Name).ToArray();

        Assert.Contains("ThreadMethodModel", names);
        Assert.Contains("TypeLaunchersModel", names);
        Assert.Contains("ParameterModel", names);
    }

    [Theory]
    [MemberData(nameof(ModelTypes))]
    public void Model_holds_nothing_from_the_compilation(string modelName)
    {
        Type model = typeof(ParallelDslGenerator).Assembly.GetType(modelName, throwOnError: true)!;

        Assert.Empty(ForbiddenPaths(model));
    }

    [Theory]
    [MemberData(nameof(ModelTypes))]
    public void Model_is_value_equatable(string modelName)
    {
        Type model = typeof(ParallelDslGenerator).Assembly.GetType(modelName, throwOnError: true)!;

        Assert.True(
            typeof(IEquatable<>).MakeGenericType(model).IsAssignableFrom(model) || model.IsEnum,
            $"{model.Name} does not implement IEquatable<{model.Name}>: the pipeline could not tell two runs apart");
    }

    [Fact]
    public void The_walk_finds_a_symbol_hidden_in_a_collection_of_a_nested_model()
    {
        Assert.Equal(
            ["LeakyModel.Items → EquatableArray`1[HiddenSymbolModel].Where", "LeakyModel.Anything → Object"],
            ForbiddenPaths(typeof(LeakyModel)));
    }

    private static IEnumerable<Type> GeneratorModels() =>
        typeof(ParallelDslGenerator).Assembly.GetTypes()
            .Where(type => type.Name.EndsWith("Model", StringComparison.Ordinal) && !type.IsGenericTypeDefinition)
            .OrderBy(type => type.FullName, StringComparer.Ordinal);

    /// <summary>
    /// Every path from <paramref name="root"/> to a forbidden type (or to <see cref="object"/>, which could hold one),
    /// through fields (records keep their properties in fields), generic arguments and array elements.
    /// </summary>
    private static List<string> ForbiddenPaths(Type root)
    {
        var found = new List<string>();
        Walk(root, root.Name, [], found);
        return found;
    }

    private static void Walk(Type type, string path, HashSet<Type> visited, List<string> found)
    {
        if (type == typeof(object))
        {
            found.Add($"{path} → Object");
            return;
        }

        if (Forbidden.FirstOrDefault(forbidden => forbidden.IsAssignableFrom(type)) is { } hit)
        {
            found.Add(hit == type ? path : $"{path} → {hit.Name}");
            return;
        }

        if (type.IsPrimitive || type == typeof(string) || type.IsEnum || !visited.Add(type))
        {
            return;
        }

        if (type.IsArray)
        {
            Walk(type.GetElementType()!, $"{path}[]", visited, found);
        }

        foreach (Type argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            Walk(argument, $"{path} → {Display(type)}[{argument.Name}]", visited, found);
        }

        // Framework types (string, Nullable<T>, arrays) are trusted; only their type arguments matter.
        if (type.Assembly == typeof(object).Assembly)
        {
            return;
        }

        const BindingFlags members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        for (Type? current = type; current is not null && current.Assembly != typeof(object).Assembly; current = current.BaseType)
        {
            foreach (FieldInfo field in current.GetFields(members))
            {
                Walk(field.FieldType, $"{path}.{MemberName(field)}", visited, found);
            }
        }
    }

    private static string Display(Type type) => type.IsGenericType ? type.GetGenericTypeDefinition().Name : type.Name;

    // Records keep their state in compiler-named backing fields: "<Items>k__BackingField" reads better as "Items".
    private static string MemberName(FieldInfo field) =>
        field.Name.StartsWith('<') ? field.Name[1..field.Name.IndexOf('>', StringComparison.Ordinal)] : field.Name;

    private sealed record HiddenSymbolModel(string Name, Location Where);

    private sealed record LeakyModel(string Name, EquatableArray<HiddenSymbolModel> Items, object? Anything);
}
