using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using ParallelDsl;

namespace CodecBenchmarks;

public record Line(string Sku, int Quantity, decimal Price);

public record Order(Guid Id, string? Customer, List<Line> Lines, DateTime Due)
{
    public string? Note { get; init; }
}

/// <summary>Encode and decode costs of the generated codecs, without processes: what a call adds before the transport.</summary>
[MemoryDiagnoser]
public partial class CodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 22);
    private Order _order = null!;
    private byte[] _orderBytes = null!;
    private int[] _numbers = null!;
    private byte[] _numberBytes = null!;

    [RunInProcess]
    internal static Order EchoOrder(Order order) => order;

    [RunInProcess]
    internal static int[] EchoNumbers(int[] numbers) => numbers;

    [GlobalSetup]
    public void Setup()
    {
        _order = new Order(Guid.NewGuid(), "Ada Lovelace",
            Enumerable.Range(0, 10).Select(i => new Line($"SKU-{i:D6}", i + 1, 9.99m * i)).ToList(), DateTime.UtcNow)
        {
            Note = "deliver to the side door, ring twice",
        };
        _orderBytes = EchoOrderProcess.EncodeArguments(_order).ToArray();
        _numbers = Enumerable.Range(0, 1 << 20).ToArray();
        _numberBytes = EchoNumbersProcess.EncodeArguments(_numbers).ToArray();
    }

    [Benchmark(Description = "Order (10 lines): encode arguments")]
    public int EncodeOrder() => EchoOrderProcess.EncodeArguments(_order).Length;

    [Benchmark(Description = "Order (10 lines): decode result")]
    public Order DecodeOrder() => EchoOrderProcess.DecodeResult(_orderBytes);

    [Benchmark(Description = "Order (10 lines): invoke (decode, call, encode)")]
    public int InvokeOrder()
    {
        _buffer.ResetWrittenCount();
        EchoOrderProcess.Invoke(_orderBytes, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "int[1M] (4 MB): invoke (block copy both ways)")]
    public int InvokeNumbers()
    {
        _buffer.ResetWrittenCount();
        EchoNumbersProcess.Invoke(_numberBytes, _buffer);
        return _buffer.WrittenCount;
    }

    public static void Main(string[] args)
    {
        MainGuard.Enter(args);
        BenchmarkSwitcher.FromAssembly(typeof(CodecBenchmarks).Assembly).Run(args);
    }
}
