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

        InitializeSharedValues(context);
        InitializeProcessMethods(context);
        InitializePoolCalls(context);
    }

    private static void InitializePoolCalls(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<EquatableArray<PoolCallModel>> calls = context.SyntaxProvider
            .CreateSyntaxProvider(PoolCallParser.IsCandidate, PoolCallParser.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.PoolCalls)
            .Collect()
            .Select(static (models, _) => models.ToEquatableArray())
            .WithTrackingName(TrackingNames.CollectedPoolCalls);

        context.RegisterSourceOutput(calls, static (output, models) =>
        {
            if (models.Count > 0)
            {
                output.AddSource(PoolInterceptorEmitter.HintName, PoolInterceptorEmitter.Emit(models));
            }
        });
    }

    private static void InitializeSharedValues(IncrementalGeneratorInitializationContext context)
    {
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

    private static void InitializeProcessMethods(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<EquatableArray<ProcessMethodModel>> processMethods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeNames.RunInProcessAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                ProcessMethodParser.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ProcessMethods)
            .Collect()
            .Select(static (methods, _) => methods.ToEquatableArray())
            .WithTrackingName(TrackingNames.CollectedProcessMethods);

        IncrementalValuesProvider<ProcessTypeModel> types = processMethods
            .SelectMany(static (methods, _) => GroupProcessMethodsByType(methods))
            .WithTrackingName(TrackingNames.ProcessTypeModels);
        context.RegisterSourceOutput(types, static (output, model) =>
            output.AddSource(model.Type.HintNameFor("Process"), ProcessEmitter.EmitType(model)));

        IncrementalValueProvider<ProcessAssemblyModel> assembly = processMethods
            .Select(static (methods, _) => ProcessAssembly(methods))
            .WithTrackingName(TrackingNames.ProcessAssemblyModel);
        context.RegisterSourceOutput(assembly, static (output, model) =>
        {
            if (model.Entries.Count == 0)
            {
                return;
            }

            output.AddSource(ProcessEmitter.DispatchTableHintName, ProcessEmitter.EmitDispatchTable(model));
            output.AddSource(CodecEmitter.HintName, CodecEmitter.Emit(model.Codecs));
        });
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

    private static ImmutableArray<ProcessTypeModel> GroupProcessMethodsByType(EquatableArray<ProcessMethodModel> methods) =>
        methods
            .GroupBy(static method => method.Type)
            .Select(static group => new ProcessTypeModel(group.Key, group.ToEquatableArray()))
            .ToImmutableArray();

    // Methods share the codecs of the types they have in common: each distinct type is written once.
    private static ProcessAssemblyModel ProcessAssembly(EquatableArray<ProcessMethodModel> methods) =>
        new(
            methods.Select(static method => new DispatchEntryModel(ProcessEmitter.HolderPath(method))).ToEquatableArray(),
            methods.SelectMany(static method => method.Codecs)
                .GroupBy(static codec => codec.Key, System.StringComparer.Ordinal)
                .Select(static group => group.First())
                .OrderBy(static codec => codec.Key, System.StringComparer.Ordinal)
                .ToEquatableArray());
}
