using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace ParallelDsl.Cluster.Client;

/// <summary>
/// Finds arguments that cannot cross machines: <see cref="SharedArray{T}"/>, <see cref="Shared{T}"/>,
/// <see cref="CrossProcessQueue{T}"/>, pipe ends and every other handle to this machine's memory (each implements
/// <see cref="ICrossProcessHandle{TSelf}"/>), also inside tuples, arrays and generic arguments. A local pool passes
/// them as handles to shared memory; a worker on another machine has no such memory.
/// </summary>
internal static class MachineBoundArguments
{
    private static readonly ConditionalWeakTable<Type, StrongBox<string?>> Verdicts = new();

    /// <summary>
    /// The error for a job whose method takes such an argument, naming the method and the argument; else
    /// <see langword="null"/>. The argument types are read from the job's type (a map job is generic over them).
    /// </summary>
    public static ArgumentException? Check(PoolJob job, string methodName)
    {
        string? found = Verdicts.GetValue(job.GetType(), static type => new StrongBox<string?>(Find(type))).Value;
        return found is null
            ? null
            : new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{methodName} cannot run on a cluster pool: its argument {found} is memory of this machine, which a worker on another machine cannot reach. Pass the data itself (an array, a value), or run the method on a ProcessPool."));
    }

    /// <summary>The machine-bound argument of a map job's type (its first generic argument is what each task receives), or null.</summary>
    private static string? Find(Type jobType)
    {
        if (!jobType.IsGenericType || jobType.GetGenericArguments() is not [Type argument, ..])
        {
            return null;
        }

        if (argument.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true)
        {
            Type[] parts = argument.GetGenericArguments();
            for (int i = 0; i < parts.Length; i++)
            {
                if (Bound(parts[i]) is { } inner)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"{i + 1} ({Describe(parts[i])}{(inner == parts[i] ? string.Empty : $", holding {Describe(inner)}")})");
                }
            }

            return null;
        }

        return Bound(argument) is { } found
            ? $"({Describe(argument)}{(found == argument ? string.Empty : $", holding {Describe(found)}")})"
            : null;
    }

    /// <summary>The machine-bound type <paramref name="type"/> is or holds, or null.</summary>
    private static Type? Bound(Type type)
    {
        foreach (Type face in type.GetInterfaces())
        {
            if (face.IsGenericType && face.GetGenericTypeDefinition() == typeof(ICrossProcessHandle<>))
            {
                return type;
            }
        }

        if (type.IsArray)
        {
            return Bound(type.GetElementType()!);
        }

        if (type.IsGenericType)
        {
            foreach (Type part in type.GetGenericArguments())
            {
                if (Bound(part) is { } inner)
                {
                    return inner;
                }
            }
        }

        return null;
    }

    /// <summary>A type as C# writes it: <c>SharedArray&lt;Int32&gt;</c>.</summary>
    private static string Describe(Type type)
    {
        if (type.IsArray)
        {
            return Describe(type.GetElementType()!) + "[]";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        string name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{name}<{string.Join(", ", Array.ConvertAll(type.GetGenericArguments(), Describe))}>";
    }
}
