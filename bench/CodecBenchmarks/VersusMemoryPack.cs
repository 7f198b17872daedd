using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MemoryPack;
using ParallelDsl;

namespace CodecBenchmarks;

[MemoryPackable]
public partial record Item(string Sku, int Quantity, double Price);

[MemoryPackable]
public partial record Basket(string Owner, List<Item> Items, Dictionary<string, int> Counts);

/// <summary>
/// The generated codecs side by side with MemoryPack (the anchor: each category's baseline, so the Ratio column is
/// ParallelDsl's time over MemoryPack's) on four shapes: a lone int, an int[1000], a record holding a list of 10
/// records and a dictionary, and a 64 KiB byte[]. Both encode to an exact-sized byte[] and decode from a span.
/// Run: <c>dotnet run -c Release --project bench/CodecBenchmarks -- --filter '*VersusMemoryPack*'</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public partial class VersusMemoryPack
{
    private int[] _numbers = null!;
    private Basket _basket = null!;
    private byte[] _blob = null!;
    private byte[] _intBytes = null!, _intPack = null!;
    private byte[] _numbersBytes = null!, _numbersPack = null!;
    private byte[] _basketBytes = null!, _basketPack = null!;
    private byte[] _blobBytes = null!, _blobPack = null!;

    [RunInProcess]
    internal static int EchoInt(int value) => value;

    [RunInProcess]
    internal static int[] EchoInts(int[] values) => values;

    [RunInProcess]
    internal static Basket EchoBasket(Basket basket) => basket;

    [RunInProcess]
    internal static byte[] EchoBlob(byte[] blob) => blob;

    [GlobalSetup]
    public void Setup()
    {
        _numbers = Enumerable.Range(0, 1000).ToArray();
        _basket = new Basket(
            "Ada Lovelace",
            [.. Enumerable.Range(0, 10).Select(i => new Item($"SKU-{i:D6}", i + 1, 9.99 * i))],
            Enumerable.Range(0, 10).ToDictionary(i => $"key-{i}", i => i * i));
        _blob = new byte[64 * 1024];
        Random.Shared.NextBytes(_blob);

        _intBytes = EchoIntProcess.EncodeArguments(123456).ToArray();
        _intPack = MemoryPackSerializer.Serialize(123456);
        _numbersBytes = EchoIntsProcess.EncodeArguments(_numbers).ToArray();
        _numbersPack = MemoryPackSerializer.Serialize(_numbers);
        _basketBytes = EchoBasketProcess.EncodeArguments(_basket).ToArray();
        _basketPack = MemoryPackSerializer.Serialize(_basket);
        _blobBytes = EchoBlobProcess.EncodeArguments(_blob).ToArray();
        _blobPack = MemoryPackSerializer.Serialize(_blob);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("int: encode")]
    public byte[] MemoryPackInt() => MemoryPackSerializer.Serialize(123456);

    [Benchmark, BenchmarkCategory("int: encode")]
    public ReadOnlyMemory<byte> ParallelDslInt() => EchoIntProcess.EncodeArguments(123456);

    [Benchmark(Baseline = true), BenchmarkCategory("int: decode")]
    public int MemoryPackIntDecode() => MemoryPackSerializer.Deserialize<int>(_intPack);

    [Benchmark, BenchmarkCategory("int: decode")]
    public int ParallelDslIntDecode() => EchoIntProcess.DecodeResult(_intBytes);

    [Benchmark(Baseline = true), BenchmarkCategory("int[1000]: encode")]
    public byte[] MemoryPackInts() => MemoryPackSerializer.Serialize(_numbers);

    [Benchmark, BenchmarkCategory("int[1000]: encode")]
    public ReadOnlyMemory<byte> ParallelDslInts() => EchoIntsProcess.EncodeArguments(_numbers);

    [Benchmark(Baseline = true), BenchmarkCategory("int[1000]: decode")]
    public int[]? MemoryPackIntsDecode() => MemoryPackSerializer.Deserialize<int[]>(_numbersPack);

    [Benchmark, BenchmarkCategory("int[1000]: decode")]
    public int[] ParallelDslIntsDecode() => EchoIntsProcess.DecodeResult(_numbersBytes);

    [Benchmark(Baseline = true), BenchmarkCategory("record (10 records + dictionary): encode")]
    public byte[] MemoryPackBasket() => MemoryPackSerializer.Serialize(_basket);

    [Benchmark, BenchmarkCategory("record (10 records + dictionary): encode")]
    public ReadOnlyMemory<byte> ParallelDslBasket() => EchoBasketProcess.EncodeArguments(_basket);

    [Benchmark(Baseline = true), BenchmarkCategory("record (10 records + dictionary): decode")]
    public Basket? MemoryPackBasketDecode() => MemoryPackSerializer.Deserialize<Basket>(_basketPack);

    [Benchmark, BenchmarkCategory("record (10 records + dictionary): decode")]
    public Basket ParallelDslBasketDecode() => EchoBasketProcess.DecodeResult(_basketBytes);

    [Benchmark(Baseline = true), BenchmarkCategory("byte[64 KiB]: encode")]
    public byte[] MemoryPackBlob() => MemoryPackSerializer.Serialize(_blob);

    [Benchmark, BenchmarkCategory("byte[64 KiB]: encode")]
    public ReadOnlyMemory<byte> ParallelDslBlob() => EchoBlobProcess.EncodeArguments(_blob);

    [Benchmark(Baseline = true), BenchmarkCategory("byte[64 KiB]: decode")]
    public byte[]? MemoryPackBlobDecode() => MemoryPackSerializer.Deserialize<byte[]>(_blobPack);

    [Benchmark, BenchmarkCategory("byte[64 KiB]: decode")]
    public byte[] ParallelDslBlobDecode() => EchoBlobProcess.DecodeResult(_blobBytes);
}
