using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ParallelDsl.Analyzers;

/// <summary>How a method is marked to run somewhere else.</summary>
internal enum LaunchKind
{
    None,
    Thread,
    Process,
}

/// <summary>
/// The types the rules look for, resolved once per compilation. A type the compilation does not reference is
/// <see langword="null"/>, and the rules that need it stay quiet.
/// </summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation)
    {
        Compilation = compilation;
        RunInThreadAttribute = compilation.GetTypeByMetadataName(MetadataNames.RunInThreadAttribute);
        RunInProcessAttribute = compilation.GetTypeByMetadataName(MetadataNames.RunInProcessAttribute);
        SharedValueAttribute = compilation.GetTypeByMetadataName(MetadataNames.SharedValueAttribute);
        MainGuard = compilation.GetTypeByMetadataName(MetadataNames.MainGuard);
        ProcessPool = compilation.GetTypeByMetadataName(MetadataNames.ProcessPool);
        ProcessPoolBase = compilation.GetTypeByMetadataName(MetadataNames.ProcessPoolBase);
        Shared = compilation.GetTypeByMetadataName(MetadataNames.Shared);
        SharedArray = compilation.GetTypeByMetadataName(MetadataNames.SharedArray);
        Thread = compilation.GetTypeByMetadataName(MetadataNames.Thread);
        Timer = compilation.GetTypeByMetadataName(MetadataNames.Timer);
        Parallel = compilation.GetTypeByMetadataName(MetadataNames.Parallel);
        TimersTimer = compilation.GetTypeByMetadataName(MetadataNames.TimersTimer);
        Task = compilation.GetTypeByMetadataName(MetadataNames.Task);
        GenericTask = compilation.GetTypeByMetadataName(MetadataNames.GenericTask);
        ValueTask = compilation.GetTypeByMetadataName(MetadataNames.ValueTask);
        GenericValueTask = compilation.GetTypeByMetadataName(MetadataNames.GenericValueTask);
        ThreadStaticAttribute = compilation.GetTypeByMetadataName(MetadataNames.ThreadStaticAttribute);
        ThreadLocal = compilation.GetTypeByMetadataName(MetadataNames.ThreadLocal);
        AsyncLocal = compilation.GetTypeByMetadataName(MetadataNames.AsyncLocal);
        ThreadStarters = Resolve(compilation,
            MetadataNames.ThreadPool, MetadataNames.Task, MetadataNames.TaskFactory, MetadataNames.GenericTaskFactory, MetadataNames.Parallel);
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol? RunInThreadAttribute { get; }

    public INamedTypeSymbol? RunInProcessAttribute { get; }

    public INamedTypeSymbol? SharedValueAttribute { get; }

    public INamedTypeSymbol? MainGuard { get; }

    public INamedTypeSymbol? ProcessPool { get; }

    /// <summary>Where the pool methods are declared, for every process pool type.</summary>
    public INamedTypeSymbol? ProcessPoolBase { get; }

    public INamedTypeSymbol? Shared { get; }

    public INamedTypeSymbol? SharedArray { get; }

    public INamedTypeSymbol? Thread { get; }

    /// <summary><c>System.Threading.Tasks.Parallel</c>, whose loops run their body on several threads and wait for them.</summary>
    public INamedTypeSymbol? Parallel { get; }

    /// <summary><c>System.Threading.Timer</c>, whose callback runs on a thread-pool thread.</summary>
    public INamedTypeSymbol? Timer { get; }

    /// <summary><c>System.Timers.Timer</c>, whose <c>Elapsed</c> handlers run on a thread-pool thread.</summary>
    public INamedTypeSymbol? TimersTimer { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? GenericTask { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? GenericValueTask { get; }

    public INamedTypeSymbol? ThreadStaticAttribute { get; }

    public INamedTypeSymbol? ThreadLocal { get; }

    public INamedTypeSymbol? AsyncLocal { get; }

    /// <summary>Types whose static methods run a delegate on another thread (<c>Task.Run</c>, <c>Parallel.For</c>, …).</summary>
    public ImmutableArray<INamedTypeSymbol> ThreadStarters { get; }

    public static KnownSymbols Create(Compilation compilation) => new(compilation);

    /// <summary>How <paramref name="method"/> is marked: [RunInThread], [RunInProcess] or neither.</summary>
    public LaunchKind LaunchKindOf(IMethodSymbol method)
    {
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (Is(attribute.AttributeClass, RunInThreadAttribute))
            {
                return LaunchKind.Thread;
            }

            if (Is(attribute.AttributeClass, RunInProcessAttribute))
            {
                return LaunchKind.Process;
            }
        }

        return LaunchKind.None;
    }

    /// <summary>The attribute's name as users write it, for messages.</summary>
    public static string AttributeName(LaunchKind kind) => kind == LaunchKind.Process ? "RunInProcess" : "RunInThread";

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && type is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);

    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
        {
            return false;
        }

        foreach (AttributeData data in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is <c>Shared&lt;T&gt;</c> or <c>SharedArray&lt;T&gt;</c>.</summary>
    public bool IsSharedMemoryType(ITypeSymbol? type) => Is(type, Shared) || Is(type, SharedArray);

    /// <summary>Whether <paramref name="type"/> is <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    public bool IsTaskLike(ITypeSymbol type) =>
        Is(type, Task) || Is(type, GenericTask) || Is(type, ValueTask) || Is(type, GenericValueTask);

    /// <summary>The result a caller receives: <c>T</c> for <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>, nothing for void, Task and ValueTask.</summary>
    public ITypeSymbol? ResultType(IMethodSymbol method)
    {
        ITypeSymbol returnType = method.ReturnType;
        if (method.ReturnsVoid || Is(returnType, Task) || Is(returnType, ValueTask))
        {
            return null;
        }

        return (Is(returnType, GenericTask) || Is(returnType, GenericValueTask)) && returnType is INamedTypeSymbol generic
            ? generic.TypeArguments[0]
            : returnType;
    }

    private static ImmutableArray<INamedTypeSymbol> Resolve(Compilation compilation, params string[] names)
    {
        ImmutableArray<INamedTypeSymbol>.Builder types = ImmutableArray.CreateBuilder<INamedTypeSymbol>(names.Length);
        foreach (string name in names)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                types.Add(type);
            }
        }

        return types.ToImmutable();
    }
}
