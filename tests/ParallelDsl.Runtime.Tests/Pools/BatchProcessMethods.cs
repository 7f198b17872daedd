using ParallelDsl;

namespace ParallelDsl.Runtime.Tests.Pools;

/// <summary>A result that crosses as an object: a value and two strings.</summary>
public sealed record Labelled(int Value, string Text, string Tag);

/// <summary>A class that is not sealed: only values of exactly this type can cross.</summary>
public class Shape
{
    public int Sides { get; init; }
}

/// <summary>A derived shape, whose extra member would be lost: refused when encoded as a <see cref="Shape"/>.</summary>
public sealed class Star : Shape
{
    public int Points { get; init; }
}

/// <summary><c>[RunInProcess]</c> methods whose pool tasks travel in batches (their descriptors have batch codecs).</summary>
public static partial class BatchProcessMethods
{
    /// <summary>Squares <paramref name="n"/> after 30 ms.</summary>
    [RunInProcess]
    public static int SlowSquare(int n)
    {
        Thread.Sleep(30);
        return n * n;
    }

    /// <summary>Triples <paramref name="n"/>, or throws for a multiple of 7.</summary>
    [RunInProcess]
    public static int TripleUnlessMultipleOf7(int n) =>
        n % 7 == 0 ? throw new ArgumentException($"{n} is a multiple of 7") : n * 3;

    /// <summary>The shape's number of sides.</summary>
    [RunInProcess]
    public static int CountSides(Shape shape) => shape.Sides;

    /// <summary>A string made of both arguments, for StarMap.</summary>
    [RunInProcess]
    public static string Describe(int n, string unit) => $"{n} {unit}";

    /// <summary>
    /// A record whose text is long (3,000 chars) for multiples of 3; for values ending in 3 its tag is an unpaired
    /// surrogate, which cannot be encoded: the result fails after part of it was written.
    /// </summary>
    [RunInProcess]
    public static Labelled Label(int n) =>
        new(n, new string('x', n % 3 == 0 ? 3000 : 5), n % 10 == 3 ? "\uD800" : "ok");
}
