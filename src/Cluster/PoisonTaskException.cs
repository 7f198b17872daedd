using System;
using System.Collections.Generic;
using System.Globalization;

namespace ParallelDsl.Cluster;

/// <summary>
/// A batch of tasks was delivered to workers <see cref="Deliveries"/> times and never came back, because it killed (or
/// was lost with) every worker that took it: it was given up instead of looping for ever. The other tasks of the
/// pool go on.
/// </summary>
public sealed class PoisonTaskException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public PoisonTaskException()
        : base("A task was given up after it killed every worker that took it.")
    {
        Method = string.Empty;
        Deaths = [];
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">The message.</param>
    public PoisonTaskException(string message)
        : base(message)
    {
        Method = string.Empty;
        Deaths = [];
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PoisonTaskException(string message, Exception innerException)
        : base(message, innerException)
    {
        Method = string.Empty;
        Deaths = [];
    }

    internal PoisonTaskException(string method, int firstIndex, int count, int deliveries, IReadOnlyList<string> deaths, string givenUpBy)
        : base(Describe(method, firstIndex, count, deliveries, deaths, givenUpBy))
    {
        Method = method;
        FirstIndex = firstIndex;
        Count = count;
        Deliveries = deliveries;
        Deaths = deaths;
    }

    /// <summary>The method the tasks run.</summary>
    public string Method { get; }

    /// <summary>The input index of the batch's first task.</summary>
    public int FirstIndex { get; }

    /// <summary>The number of tasks in the batch.</summary>
    public int Count { get; }

    /// <summary>How many times the batch was delivered to a worker.</summary>
    public int Deliveries { get; }

    /// <summary>The deaths that were reported: host, pid and how each worker process ended.</summary>
    public IReadOnlyList<string> Deaths { get; }

    private static string Describe(string method, int firstIndex, int count, int deliveries, IReadOnlyList<string> deaths, string givenUpBy)
    {
        string tasks = count == 1
            ? string.Create(CultureInfo.InvariantCulture, $"the task of {method} at input index {firstIndex}")
            : string.Create(CultureInfo.InvariantCulture, $"the batch of {count} tasks of {method} at input indexes {firstIndex} to {firstIndex + count - 1}");
        string died = deaths.Count == 0
            ? "no worker reported a death (whole worker programs were lost)"
            : $"the workers that died: {string.Join("; ", deaths)}";
        return string.Create(CultureInfo.InvariantCulture,
            $"Gave up {tasks} after {deliveries} deliveries (ClusterOptions.DeliveryLimit); {died}. Given up by {givenUpBy}.");
    }
}
