using System.Text;

namespace ParallelDsl.Runtime.Tests.Codecs;

public enum Color
{
    Red,
    Green,
    Blue,
}

[Flags]
public enum Access : ulong
{
    None = 0,
    Read = 1,
    Write = 2,
    All = ulong.MaxValue,
}

public enum Tiny : sbyte
{
    Low = sbyte.MinValue,
    High = sbyte.MaxValue,
}

public readonly record struct Point(double X, double Y);

public struct Mutable
{
    public int A;

    public string? B { get; set; }
}

public record struct Empty;

public record Line(string Sku, int Quantity, decimal Price);

public record Order(Guid Id, string? Customer, List<Line> Lines, Color Color, DateTime? Due, Dictionary<string, int>? Tags)
{
    public string? Note { get; init; }
}

public sealed class Settings
{
    public string Name { get; set; } = string.Empty;

    public int[]? Values { get; set; }

    public TimeSpan Timeout { get; set; }
}

public class Node
{
    public int Value { get; set; }

    public Node? Next { get; set; }
}

public class Animal
{
    public string Name { get; set; } = string.Empty;
}

public sealed class Dog : Animal
{
    public bool Good { get; set; }
}

public abstract record Pet(string Name);

public sealed record Puppy(string Name, int AgeInWeeks) : Pet(Name);

/// <summary>Stands in for a queue or a shared segment: only its name crosses, the child opens its own end.</summary>
public sealed class Channel : ICrossProcessHandle<Channel>
{
    public Channel(string handleName, bool opened = false)
    {
        HandleName = handleName;
        Opened = opened;
    }

    public string HandleName { get; }

    /// <summary>Whether this object was made by <see cref="OpenHandle"/>, as a child's end is.</summary>
    public bool Opened { get; }

    public static Channel OpenHandle(string handleName) => new(handleName, opened: true);
}

/// <summary>[RunInProcess] methods whose generated codecs and invokers the round-trip tests drive in-process.</summary>
internal static partial class CodecSubjects
{
    [RunInProcess]
    internal static (bool, char, sbyte, byte, short, ushort, int, uint, long, ulong, float, double, decimal) EchoPrimitives(
        bool a, char b, sbyte c, byte d, short e, ushort f, int g, uint h, long i, ulong j, float k, double l, decimal m) =>
        (a, b, c, d, e, f, g, h, i, j, k, l, m);

    [RunInProcess]
    internal static string? EchoString(string? value) => value;

    [RunInProcess]
    internal static int Utf8Length(string value) => Encoding.UTF8.GetByteCount(value);

    [RunInProcess]
    internal static (Color, Access, Tiny) EchoEnums(Color color, Access access, Tiny tiny) => (color, access, tiny);

    [RunInProcess]
    internal static (DateTime, DateTimeOffset, TimeSpan, Guid, DateOnly, TimeOnly) EchoTimes(
        DateTime a, DateTimeOffset b, TimeSpan c, Guid d, DateOnly e, TimeOnly f) => (a, b, c, d, e, f);

    [RunInProcess]
    internal static (int?, DateTime?, Point?, Color?) EchoNullables(int? a, DateTime? b, Point? c, Color? d) => (a, b, c, d);

    [RunInProcess]
    internal static byte[]? EchoBytes(byte[]? value) => value;

    [RunInProcess]
    internal static (int[]?, double[]?, char[]?, bool[]?, string?[]?, int[][]?, decimal[]?) EchoArrays(
        int[]? a, double[]? b, char[]? c, bool[]? d, string?[]? e, int[][]? f, decimal[]? g) => (a, b, c, d, e, f, g);

    [RunInProcess]
    internal static (List<long>?, List<string?>?, List<List<int>?>?, List<Line?>?) EchoLists(
        List<long>? a, List<string?>? b, List<List<int>?>? c, List<Line?>? d) => (a, b, c, d);

    [RunInProcess]
    internal static Dictionary<string, int>? EchoDictionary(Dictionary<string, int>? value) => value;

    [RunInProcess]
    internal static Dictionary<int, List<string?>?>? EchoNestedDictionary(Dictionary<int, List<string?>?>? value) => value;

    [RunInProcess]
    internal static (int, string?) EchoTuple((int Count, string? Label) value) => value;

    [RunInProcess]
    internal static ValueTuple<Guid> EchoSingle(ValueTuple<Guid> value) => value;

    [RunInProcess]
    internal static Order? EchoOrder(Order? order) => order;

    [RunInProcess]
    internal static decimal Total(Order order) => order.Lines.Sum(line => line.Quantity * line.Price);

    [RunInProcess]
    internal static Dictionary<Guid, Order> Index(List<Order> orders) => orders.ToDictionary(order => order.Id);

    [RunInProcess]
    internal static (Mutable, Empty, Empty[], Settings?) EchoShapes(Mutable mutable, Empty empty, Empty[] empties, Settings? settings) =>
        (mutable, empty, empties, settings);

    [RunInProcess]
    internal static Node? EchoNode(Node? node) => node;

    [RunInProcess]
    internal static string Describe(Animal animal) => animal.Name;

    [RunInProcess]
    internal static Dog EchoDog(Dog dog) => dog;

    [RunInProcess]
    internal static Puppy EchoPuppy(Puppy puppy) => puppy;

    [RunInProcess]
    internal static List<Animal> EchoAnimals(List<Animal> animals) => animals;

    [RunInProcess]
    internal static Channel? Reopen(Channel? channel) => channel;

    [RunInProcess]
    internal static async Task<long> SquareAsync(int n)
    {
        await Task.Yield();
        return (long)n * n;
    }

    [RunInProcess]
    internal static async ValueTask<string?> EchoStringAsync(string? value)
    {
        await Task.Delay(1);
        return value;
    }

    // Void methods show that they ran by throwing for a negative number (writing state would be a lost write in a child).
    [RunInProcess]
    internal static void Require(int n) => ArgumentOutOfRangeException.ThrowIfNegative(n);

    [RunInProcess]
    internal static async Task RequireAsync(int n)
    {
        await Task.Yield();
        ArgumentOutOfRangeException.ThrowIfNegative(n);
    }

    [RunInProcess]
    internal static int Sum(int a, int b) => a + b;

    [RunInProcess]
    internal static long Sum(long a, long b) => a + b;

    [RunInProcess]
    internal static int Answer() => 42;
}
