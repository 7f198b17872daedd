using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ParallelDsl.Generator;

/// <summary>
/// The ParallelDsl source generator: finds annotated methods, parses each into a value-equatable model and
/// writes one partial type per declaring type with the launchers. This class only wires the pipeline.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ParallelDslGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ThreadMethodModel> threadMethods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeNames.RunInThreadAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                ThreadMethodParser.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ThreadMethods);

        IncrementalValuesProvider<TypeLaunchersModel> types = threadMethods
            .Collect()
            .WithTrackingName(TrackingNames.CollectedThreadMethods)
            .SelectMany(static (methods, _) => GroupByType(methods))
            .WithTrackingName(TrackingNames.TypeModels);

        context.RegisterSourceOutput(types, static (output, model) =>
            output.AddSource(model.Type.HintName, LauncherEmitter.Emit(model)));

        IncrementalValuesProvider<TypeSharedValuesModel> sharedValueTypes = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeNames.SharedValueAttribute,
                static (node, _) => node is PropertyDeclarationSyntax,
                SharedValueParser.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.SharedValues)
            .Collect()
            .WithTrackingName(TrackingNames.CollectedSharedValues)
            .SelectMany(static (values, _) => GroupByType(values))
            .WithTrackingName(TrackingNames.SharedValueTypeModels);

        context.RegisterSourceOutput(sharedValueTypes, static (output, model) =>
            output.AddSource(SharedValueEmitter.HintName(model.Type), SharedValueEmitter.Emit(model)));
    }

    private static ImmutableArray<TypeLaunchersModel> GroupByType(ImmutableArray<ThreadMethodModel> methods) =>
        methods
            .GroupBy(static method => method.Type)
            .Select(static group => new TypeLaunchersModel(group.Key, group.ToEquatableArray()))
            .ToImmutableArray();

    private static ImmutableArray<TypeSharedValuesModel> GroupByType(ImmutableArray<SharedValueModel> values) =>
        values
            .GroupBy(static value => value.Type)
            .Select(static group => new TypeSharedValuesModel(group.Key, group.ToEquatableArray()))
            .ToImmutableArray();
}
