namespace ParallelDsl.Runtime.Tests.Codecs;

/// <summary>
/// Random values for property-style tests, from a fixed seed so every run checks the same cases. Edge cases (null,
/// empty, extremes, NaN, non-ASCII and very long strings) come up often on purpose.
/// </summary>
internal sealed class Arbitrary(int seed)
{
    private static readonly string[] Texts =
    [
        string.Empty, " ", "a", "héllo wörld", "日本語のテキスト", "emoji 😀👍🏽 pairs", "\0 nul inside", "tab\tnew\nline", "ünïcödé ✓ ∑ ∞",
    ];

    private readonly Random _random = new(seed);

    public bool Chance(int percent) => _random.Next(100) < percent;

    public int Size(int max) => Chance(10) ? 0 : _random.Next(max + 1);

    public bool Bool() => Chance(50);

    public char Char() => (char)_random.Next(char.MaxValue + 1);

    public int Int32() => Pick(int.MinValue, int.MaxValue, 0, -1, 1) ?? _random.Next(int.MinValue, int.MaxValue);

    public long Int64() => Pick(long.MinValue, long.MaxValue, 0L, -1L) ?? _random.NextInt64(long.MinValue, long.MaxValue);

    public ulong UInt64() => Pick(ulong.MinValue, ulong.MaxValue) ?? (ulong)_random.NextInt64(long.MinValue, long.MaxValue);

    public T Integer<T>()
        where T : struct, System.Numerics.IBinaryInteger<T>, System.Numerics.IMinMaxValue<T> =>
        Pick(T.MinValue, T.MaxValue, T.Zero) ?? T.CreateTruncating(Int64());

    public double Double() =>
        Pick(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, double.MinValue,
            BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF))
        ?? (Chance(50) ? BitConverter.Int64BitsToDouble(Int64()) : _random.NextDouble());

    public float Single() =>
        Pick(float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0.0f, float.Epsilon, float.MaxValue, float.MinValue)
        ?? (float)(_random.NextDouble() * 1e6 - 5e5);

    public decimal Decimal() =>
        Pick(decimal.MaxValue, decimal.MinValue, 0m, 1.0m, 1.00m, -0.0000000000000000000000000001m)
        ?? new decimal(_random.Next(), _random.Next(), _random.Next(), Bool(), (byte)_random.Next(29));

    public decimal Money() => Math.Round((decimal)_random.NextDouble() * 1000m, _random.Next(5));

    public string String()
    {
        if (Chance(5))
        {
            return new string('x', 100_000) + "é";
        }

        if (Chance(40))
        {
            return Texts[_random.Next(Texts.Length)];
        }

        // Random scalar values, including supplementary-plane ones (surrogate pairs), never a lone surrogate.
        var builder = new System.Text.StringBuilder();
        int length = Size(60);
        for (int i = 0; i < length; i++)
        {
            int scalar = _random.Next(4) switch
            {
                0 => _random.Next(0x20, 0x7F),
                1 => _random.Next(0x80, 0xD800),
                2 => _random.Next(0xE000, 0x10000),
                _ => _random.Next(0x10000, 0x110000),
            };
            builder.Append(char.ConvertFromUtf32(scalar));
        }

        return builder.ToString();
    }

    public string? NullableString() => Chance(15) ? null : String();

    public DateTime DateTime() =>
        Pick(System.DateTime.MinValue, System.DateTime.MaxValue, System.DateTime.UnixEpoch)
        ?? new System.DateTime(_random.NextInt64(System.DateTime.MaxValue.Ticks + 1), (DateTimeKind)_random.Next(3));

    public DateTimeOffset DateTimeOffset()
    {
        if (Pick(System.DateTimeOffset.MinValue, System.DateTimeOffset.MaxValue) is { } edge)
        {
            return edge;
        }

        var offset = System.TimeSpan.FromMinutes(_random.Next(-14 * 60, 14 * 60 + 1));
        long margin = System.TimeSpan.FromHours(14).Ticks;
        return new System.DateTimeOffset(_random.NextInt64(margin, System.DateTime.MaxValue.Ticks - margin), offset);
    }

    public TimeSpan TimeSpan() => Pick(System.TimeSpan.MinValue, System.TimeSpan.MaxValue, System.TimeSpan.Zero) ?? new TimeSpan(Int64());

    public Guid Guid()
    {
        if (Chance(10))
        {
            return System.Guid.Empty;
        }

        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }

    public DateOnly DateOnly() => System.DateOnly.FromDayNumber(_random.Next(System.DateOnly.MaxValue.DayNumber + 1));

    public TimeOnly TimeOnly() => new(_random.NextInt64(System.TimeOnly.MaxValue.Ticks + 1));

    public T Enum<T>()
        where T : struct, System.Enum
    {
        T[] values = System.Enum.GetValues<T>();
        return Chance(80) ? values[_random.Next(values.Length)] : (T)(object)Convert.ChangeType(_random.Next(-3, 100), System.Enum.GetUnderlyingType(typeof(T)));
    }

    public T? Maybe<T>(Func<T> next)
        where T : struct => Chance(25) ? null : next();

    public T[]? ArrayOf<T>(Func<T> next, int max = 20) => Chance(10) ? null : Enumerable.Range(0, Size(max)).Select(_ => next()).ToArray();

    public List<T>? ListOf<T>(Func<T> next, int max = 20) => ArrayOf(next, max)?.ToList();

    public byte[] Bytes(int max)
    {
        byte[] bytes = new byte[Size(max)];
        _random.NextBytes(bytes);
        return bytes;
    }

    public Line Line() => new(String(), _random.Next(-1000, 1000), Money());

    public Order Order() => new(
        Guid(),
        NullableString(),
        ListOf(Line, 8) ?? [],
        Enum<Color>(),
        Maybe(DateTime),
        Chance(30) ? null : Enumerable.Range(0, Size(6)).ToDictionary(i => $"{String()}#{i}", _ => Int32()))
    {
        Note = NullableString(),
    };

    private T? Pick<T>(params T[] edges)
        where T : struct => Chance(20) ? edges[_random.Next(edges.Length)] : null;
}
