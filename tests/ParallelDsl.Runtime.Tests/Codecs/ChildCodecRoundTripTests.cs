namespace ParallelDsl.Runtime.Tests.Codecs;

/// <summary>
/// Each type family through a real child process, started by the generated launchers: a few values per family (edge
/// values and a couple of random ones); <see cref="CodecRoundTripTests"/> covers the breadth in-process. Every child of a
/// family starts before the first is joined, so the family costs about one process start.
/// </summary>
public sealed class ChildCodecRoundTripTests
{
    private const int RandomValues = 2;
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    [Fact]
    public void Primitives_come_back_bit_for_bit() =>
        ComeBack(
            7,
            any => (any.Bool(), any.Char(), any.Integer<sbyte>(), any.Integer<byte>(), any.Integer<short>(), any.Integer<ushort>(),
                any.Int32(), any.Integer<uint>(), any.Int64(), any.UInt64(), any.Single(), any.Double(), any.Decimal()),
            a => CodecSubjects.StartEchoPrimitives(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, a.Item7, a.Item8, a.Item9,
                a.Item10, a.Item11, a.Item12, a.Item13),
            (true, '\uFFFF', sbyte.MinValue, byte.MaxValue, short.MinValue, ushort.MaxValue, int.MinValue, uint.MaxValue, long.MinValue,
                ulong.MaxValue, float.NaN, double.NegativeInfinity, decimal.MaxValue),
            (false, 'é', (sbyte)0, (byte)0, (short)0, (ushort)0, 0, 0u, 0L, 0UL, -0.0f, double.Epsilon, -0.0001m));

    [Fact]
    public void Strings_come_back_null_empty_long_and_non_ascii() =>
        ComeBack(8, any => any.NullableString(), CodecSubjects.StartEchoString,
            null, string.Empty, "grüße, 世界, 🎉", new string('x', 100_000) + "✓");

    [Fact]
    public void Dates_times_and_guids_come_back() =>
        ComeBack(
            9,
            any => (any.DateTime(), any.DateTimeOffset(), any.TimeSpan(), any.Guid(), any.DateOnly(), any.TimeOnly()),
            a => CodecSubjects.StartEchoTimes(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6),
            (new DateTime(2026, 11, 22, 9, 30, 0, DateTimeKind.Utc), new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.FromHours(1)),
                TimeSpan.MinValue, Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), DateOnly.MaxValue, TimeOnly.MinValue));

    [Fact]
    public void Enums_come_back_including_undeclared_values() =>
        ComeBack(
            10,
            any => (any.Enum<Color>(), (Access)any.UInt64(), any.Enum<Tiny>()),
            a => CodecSubjects.StartEchoEnums(a.Item1, a.Item2, a.Item3),
            (Color.Blue, Access.All, Tiny.Low),
            ((Color)42, Access.Read | Access.Write, (Tiny)0));

    [Fact]
    public void Nullable_values_come_back_with_and_without_a_value() =>
        ComeBack(
            11,
            any => (any.Maybe(any.Int32), any.Maybe(any.DateTime), any.Maybe(() => new Point(any.Double(), any.Double())), any.Maybe(any.Enum<Color>)),
            a => CodecSubjects.StartEchoNullables(a.Item1, a.Item2, a.Item3, a.Item4),
            ((int?)null, (DateTime?)null, (Point?)null, (Color?)null),
            ((int?)-1, (DateTime?)DateTime.MaxValue, (Point?)new Point(1.5, -2.5), (Color?)Color.Green));

    [Fact]
    public void Arrays_come_back_including_jagged_arrays_and_null_items() =>
        ComeBack(
            12,
            any => (any.ArrayOf(any.Int32), any.ArrayOf(any.Double), any.ArrayOf(any.Char), any.ArrayOf(any.Bool),
                any.ArrayOf(any.NullableString), any.ArrayOf(() => any.ArrayOf(any.Int32)!, 5), any.ArrayOf(any.Decimal)),
            a => CodecSubjects.StartEchoArrays(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, a.Item7),
            ((int[]?)null, (double[]?)null, (char[]?)null, (bool[]?)null, (string?[]?)null, (int[][]?)null, (decimal[]?)null),
            ([], [double.MaxValue], ['a', 'ß'], [true, false], [null, "", "z"], [[], [1, 2, 3]], [1.25m]));

    [Fact]
    public void Lists_and_dictionaries_come_back_including_nested_ones() =>
        ComeBack(
            13,
            any => (any.ListOf(any.Int64), any.ListOf(any.NullableString), any.ListOf(() => any.ListOf(any.Int32), 6),
                any.ListOf(() => any.Chance(20) ? null : any.Line(), 6)),
            a => CodecSubjects.StartEchoLists(a.Item1, a.Item2, a.Item3, a.Item4),
            ((List<long>?)[], (List<string?>?)[null, "b"], (List<List<int>?>?)[null, [], [7]], (List<Line?>?)[new Line("sku-1", 2, 9.99m), null]));

    [Fact]
    public void Dictionaries_come_back_with_nested_values() =>
        ComeBack(
            14,
            any => any.Chance(10) ? null : Enumerable.Range(0, any.Size(8)).ToDictionary(n => n * 7919 - 4, _ => any.ListOf(any.NullableString, 5)),
            CodecSubjects.StartEchoNestedDictionary,
            null,
            new Dictionary<int, List<string?>?> { [0] = null, [-1] = [], [int.MaxValue] = ["ünïcode", null] });

    [Fact]
    public void Tuples_come_back_as_their_elements() =>
        ComeBack<(int, string?)>(15, any => (any.Int32(), any.NullableString()), value => CodecSubjects.StartEchoTuple(value), (0, null), (-5, "five"));

    [Fact]
    public void Records_structs_and_classes_come_back() =>
        ComeBack(
            16,
            any => (new Mutable { A = any.Int32(), B = any.NullableString() }, default(Empty), new Empty[any.Size(10)],
                any.Chance(15) ? null : new Settings { Name = any.String(), Values = any.ArrayOf(any.Int32), Timeout = any.TimeSpan() }),
            a => CodecSubjects.StartEchoShapes(a.Item1, a.Item2, a.Item3, a.Item4),
            (new Mutable { A = 1, B = null }, default(Empty), Array.Empty<Empty>(), (Settings?)null));

    [Fact]
    public void Records_with_nested_collections_come_back() =>
        ComeBack<Order?>(17, any => any.Chance(10) ? null : any.Order(), CodecSubjects.StartEchoOrder, (Order?)null);

    [Fact]
    public void Inherited_members_and_recursive_classes_come_back()
    {
        ComeBack(18, any => new Puppy(any.String(), any.Int32()), CodecSubjects.StartEchoPuppy, new Puppy("Rex", 9));
        ComeBack(19, any => new Node { Value = any.Int32() }, CodecSubjects.StartEchoNode,
            null, new Node { Value = 1, Next = new Node { Value = 2, Next = new Node { Value = 3 } } });
    }

    [Fact]
    public void Cross_process_handles_are_reopened_by_name_in_the_child()
    {
        using ProcessHandle<Channel?> handle = CodecSubjects.StartReopen(new Channel("session-1/queue-7"));

        Channel? echoed = Join(handle);

        Assert.NotNull(echoed);
        Assert.Equal("session-1/queue-7", echoed.HandleName);
        Assert.True(echoed.Opened);
    }

    /// <summary>
    /// Starts one child per value (the given edge values, then <see cref="RandomValues"/> random ones from a fixed seed),
    /// then joins each and checks that the method, which echoes its arguments, sent back what it was given.
    /// </summary>
    private static void ComeBack<T>(int seed, Func<Arbitrary, T> arbitrary, Func<T, ProcessHandle<T>> start, params T[] edges)
    {
        var any = new Arbitrary(seed);
        T[] values = [.. edges, .. Enumerable.Range(0, RandomValues).Select(_ => arbitrary(any))];
        var children = new List<ProcessHandle<T>>();
        try
        {
            children.AddRange(values.Select(start));
            for (int i = 0; i < values.Length; i++)
            {
                DeepAssert.Equal(values[i], Join(children[i]), $"value {i}");
            }
        }
        finally
        {
            children.ForEach(child => child.Dispose());
        }
    }

    private static T Join<T>(ProcessHandle<T> handle)
    {
        Assert.True(handle.Join(Safety), $"{handle} did not finish within {Safety}");
        Assert.Equal(0, handle.ExitCode);
        return handle.Result;
    }
}
