using ParallelDsl;

namespace ParallelDsl.Fuzz.Subjects;

/// <summary>A line of an order: a value with a string and a nullable field.</summary>
public sealed record OrderLine(string Sku, int Quantity, decimal? Discount);

/// <summary>An order: nested records, a list, a dictionary, an array, an enum and a nullable value.</summary>
public sealed record Order(long Id, string Customer, List<OrderLine> Lines, Dictionary<string, int> Tags, byte[] Note, OrderState State, DateTime? Shipped);

/// <summary>The states of an order.</summary>
public enum OrderState
{
    Open,
    Paid,
    Shipped,
}

/// <summary>Names the element types, so that the generator writes their codecs into this assembly.</summary>
public static class Queues
{
    /// <summary>A queue of orders (never created: naming the type is enough for the generator).</summary>
    public static CrossProcessQueue<Order> OfOrders() => new();
}
