using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ParallelDsl.Roslyn;

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
        InitializeThreadMethods(context, out IncrementalValuesProvider<RejectedMethodModel> rejectedThreadMethods);
        InitializeSharedValues(context);
        InitializeProcessMethods(context, out IncrementalValuesProvider<RejectedMethodModel> rejectedProcessMethods);
        InitializePoolCalls(context);
        InitializeRejectedMethods(context, rejectedThreadMethods, rejectedProcessMethods);
    }

    // A method the analyzers reject still gets launcher stubs, so their diagnostic is the one error at its calls.
    private static void InitializeRejectedMethods(
        IncrementalGeneratorInitializationContext context,
        IncrementalValuesProvider<RejectedMethodModel> threadMethods,
        IncrementalValuesProvider<RejectedMethodModel> processMethods)
    {
        IncrementalValuesProvider<TypeRejectedMethodsModel> types = threadMethods
            .Collect()
            .Combine(processMethods.Collect())
            .WithTrackingName(TrackingNames.CollectedRejectedMethods)
            .SelectMany(static (methods, _) => GroupByType(
                methods.Left.Concat(methods.Right),
                static method => method.Type,
                static (type, group) => new TypeRejectedMethodsModel(type, group)))
            .WithTrackingName(TrackingNames.RejectedMethodTypeModels);

        context.RegisterSourceOutput(types, static (output, model) =>
            output.AddSource(model.Type.HintNameFor("Rejected"), RejectedMethodEmitter.Emit(model)));
    }

    private static void InitializeThreadMethods(IncrementalGeneratorInitializationContext context, out IncrementalValuesProvider<RejectedMethodModel> rejected)
    {
        IncrementalValuesProvider<ParsedThreadMethodModel> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                WellKnownNames.RunInThreadAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                ThreadMethodParser.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!);
        IncrementalValuesProvider<ThreadMethodModel> threadMethods = parsed
            .Where(static model => model.Launchable is not null)
            .Select(static (model, _) => model.Launchable!)
            .WithTrackingName(TrackingNames.ThreadMethods);
        rejected = parsed
            .Where(static model => model.Rejected is not null)
            .Select(static (model, _) => model.Rejected!);

        IncrementalValuesProvider<TypeLaunchersModel> types = threadMethods
            .Collect()
            .WithTrackingName(TrackingNames.CollectedThreadMethods)
            .SelectMany(static (methods, _) => GroupByType(methods, static method => method.Type, static (type, group) => new TypeLaunchersModel(type, group)))
            .WithTrackingName(TrackingNames.TypeModels);

        context.RegisterSourceOutput(types, static (output, model) =>
            output.AddSource(model.Type.HintName, ThreadEmitter.Emit(model)));
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
                WellKnownNames.SharedValueAttribute,
                static (node, _) => node is PropertyDeclarationSyntax,
                SharedValueParser.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.SharedValues)
            .Collect()
            .WithTrackingName(TrackingNames.CollectedSharedValues)
            .SelectMany(static (values, _) => GroupByType(values, static value => value.Type, static (type, group) => new TypeSharedValuesModel(type, group)))
            .WithTrackingName(TrackingNames.SharedValueTypeModels);

        context.RegisterSourceOutput(sharedValueTypes, static (output, model) =>
            output.AddSource(SharedValueEmitter.HintName(model.Type), SharedValueEmitter.Emit(model)));
    }

    private static void InitializeProcessMethods(IncrementalGeneratorInitializationContext context, out IncrementalValuesProvider<RejectedMethodModel> rejected)
    {
        IncrementalValuesProvider<ParsedProcessMethodModel> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                WellKnownNames.RunInProcessAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                ProcessMethodParser.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!);
        rejected = parsed
            .Where(static model => model.Rejected is not null)
            .Select(static (model, _) => model.Rejected!);
        IncrementalValueProvider<EquatableArray<ProcessMethodModel>> processMethods = parsed
            .Where(static model => model.Launchable is not null)
            .Select(static (model, _) => model.Launchable!)
            .WithTrackingName(TrackingNames.ProcessMethods)
            .Collect()
            .Select(static (methods, _) => methods.ToEquatableArray())
            .WithTrackingName(TrackingNames.CollectedProcessMethods);

        IncrementalValuesProvider<ProcessTypeModel> types = processMethods
            .SelectMany(static (methods, _) => GroupByType(methods, static method => method.Type, static (type, group) => new ProcessTypeModel(type, group)))
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
        });

        IncrementalValueProvider<EquatableArray<ElementCodecModel>> elements = context.SyntaxProvider
            .CreateSyntaxProvider(ElementCodecParser.IsCandidate, ElementCodecParser.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ElementCodecs)
            .Collect()
            .Select(static (models, _) => models.ToEquatableArray())
            .WithTrackingName(TrackingNames.CollectedElementCodecs);
        IncrementalValueProvider<CodecAssemblyModel> codecs = processMethods
            .Combine(elements)
            .Select(static (pair, _) => CodecAssembly(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.CodecAssemblyModel);
        context.RegisterSourceOutput(codecs, static (output, model) =>
        {
            if (!model.IsEmpty)
            {
                output.AddSource(CodecEmitter.HintName, CodecEmitter.Emit(model));
            }
        });
    }

    /// <summary>One model per declaring type, holding that type's items: one generated file each.</summary>
    private static ImmutableArray<TGroup> GroupByType<TItem, TGroup>(
        IEnumerable<TItem> items,
        Func<TItem, TypeIdentityModel> typeOf,
        Func<TypeIdentityModel, EquatableArray<TItem>, TGroup> create)
        where TItem : IEquatable<TItem> =>
        items
            .GroupBy(typeOf)
            .Select(group => create(group.Key, group.ToEquatableArray()))
            .ToImmutableArray();

    private static ProcessAssemblyModel ProcessAssembly(EquatableArray<ProcessMethodModel> methods) =>
        new(methods.Select(static method => ProcessHolders.DispatchEntry(method)).ToEquatableArray());

    // Methods and queue elements share the codecs of the types they have in common: each distinct type is written once.
    private static CodecAssemblyModel CodecAssembly(EquatableArray<ProcessMethodModel> methods, EquatableArray<ElementCodecModel> elements) =>
        new(
            methods.SelectMany(static method => method.Codecs)
                .Concat(elements.SelectMany(static element => element.Codecs))
                .GroupBy(static codec => codec.Key, System.StringComparer.Ordinal)
                .Select(static group => group.First())
                .OrderBy(static codec => codec.Key, System.StringComparer.Ordinal)
                .ToEquatableArray(),
            elements.Select(static element => element.Key).Distinct(System.StringComparer.Ordinal).OrderBy(static key => key, System.StringComparer.Ordinal).ToEquatableArray(),
            methods.Count > 0);
}
