using System.Reflection;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl.Runtime.Tests.Codecs;

/// <summary>
/// For each family of types: many random values (fixed seed) are encoded by the generated launcher side, run through the
/// generated invoker found in the dispatch table, decoded by the generated decoder, and compared with a direct call.
/// </summary>
public sealed class CodecRoundTripTests
{
    private const int Cases = 300;

    [Fact]
    public void Primitives_survive_bit_for_bit() =>
        RoundTrips(
            1,
            any => (any.Bool(), any.Char(), any.Integer<sbyte>(), any.Integer<byte>(), any.Integer<short>(), any.Integer<ushort>(),
                any.Int32(), any.Integer<uint>(), any.Int64(), any.UInt64(), any.Single(), any.Double(), any.Decimal()),
            CodecSubjects.EchoPrimitivesProcess.Id,
            a => CodecSubjects.EchoPrimitivesProcess.EncodeArguments(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, a.Item7, a.Item8,
                a.Item9, a.Item10, a.Item11, a.Item12, a.Item13),
            CodecSubjects.EchoPrimitivesProcess.DecodeResult,
            a => CodecSubjects.EchoPrimitives(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, a.Item7, a.Item8, a.Item9, a.Item10,
                a.Item11, a.Item12, a.Item13));

    [Fact]
    public void Strings_survive_null_empty_long_and_non_ascii()
    {
        RoundTrips(2, any => any.NullableString(), CodecSubjects.EchoStringProcess.Id, CodecSubjects.EchoStringProcess.EncodeArguments,
            CodecSubjects.EchoStringProcess.DecodeResult, CodecSubjects.EchoString);
        RoundTrips(3, any => any.String(), CodecSubjects.Utf8LengthProcess.Id, CodecSubjects.Utf8LengthProcess.EncodeArguments,
            CodecSubjects.Utf8LengthProcess.DecodeResult, CodecSubjects.Utf8Length);
    }

    [Fact]
    public void Enums_survive_as_their_underlying_integers_including_undeclared_values() =>
        RoundTrips(
            4,
            any => (any.Enum<Color>(), (Access)any.UInt64(), any.Enum<Tiny>()),
            CodecSubjects.EchoEnumsProcess.Id,
            a => CodecSubjects.EchoEnumsProcess.EncodeArguments(a.Item1, a.Item2, a.Item3),
            CodecSubjects.EchoEnumsProcess.DecodeResult,
            a => CodecSubjects.EchoEnums(a.Item1, a.Item2, a.Item3));

    [Fact]
    public void Dates_times_and_guids_keep_kind_offset_and_range_edges() =>
        RoundTrips(
            5,
            any => (any.DateTime(), any.DateTimeOffset(), any.TimeSpan(), any.Guid(), any.DateOnly(), any.TimeOnly()),
            CodecSubjects.EchoTimesProcess.Id,
            a => CodecSubjects.EchoTimesProcess.EncodeArguments(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6),
            CodecSubjects.EchoTimesProcess.DecodeResult,
            a => CodecSubjects.EchoTimes(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6));

    [Fact]
    public void Nullable_values_survive_with_and_without_a_value() =>
        RoundTrips(
            6,
            any => (any.Maybe(any.Int32), any.Maybe(any.DateTime), any.Maybe(() => new Point(any.Double(), any.Double())), any.Maybe(any.Enum<Color>)),
            CodecSubjects.EchoNullablesProcess.Id,
            a => CodecSubjects.EchoNullablesProcess.EncodeArguments(a.Item1, a.Item2, a.Item3, a.Item4),
            CodecSubjects.EchoNullablesProcess.DecodeResult,
            a => CodecSubjects.EchoNullables(a.Item1, a.Item2, a.Item3, a.Item4));

    [Fact]
    public void Arrays_survive_including_blocks_jagged_arrays_and_null_items()
    {
        RoundTrips(7, any => any.Chance(10) ? null : any.Bytes(any.Chance(5) ? 1 << 20 : 64), CodecSubjects.EchoBytesProcess.Id,
            CodecSubjects.EchoBytesProcess.EncodeArguments, CodecSubjects.EchoBytesProcess.DecodeResult, CodecSubjects.EchoBytes);
        RoundTrips(
            8,
            any => (any.ArrayOf(any.Int32, any.Chance(5) ? 50_000 : 20), any.ArrayOf(any.Double), any.ArrayOf(any.Char), any.ArrayOf(any.Bool),
                any.ArrayOf(any.NullableString), any.ArrayOf(() => any.ArrayOf(any.Int32)!, 5), any.ArrayOf(any.Decimal)),
            CodecSubjects.EchoArraysProcess.Id,
            a => CodecSubjects.EchoArraysProcess.EncodeArguments(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, a.Item7),
            CodecSubjects.EchoArraysProcess.DecodeResult,
            a => CodecSubjects.EchoArrays(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, a.Item7));
    }

    [Fact]
    public void Lists_survive_including_nested_lists_and_null_items() =>
        RoundTrips(
            9,
            any => (any.ListOf(any.Int64), any.ListOf(any.NullableString), any.ListOf(() => any.ListOf(any.Int32), 6),
                any.ListOf(() => any.Chance(20) ? null : any.Line(), 6)),
            CodecSubjects.EchoListsProcess.Id,
            a => CodecSubjects.EchoListsProcess.EncodeArguments(a.Item1, a.Item2, a.Item3, a.Item4),
            CodecSubjects.EchoListsProcess.DecodeResult,
            a => CodecSubjects.EchoLists(a.Item1, a.Item2, a.Item3, a.Item4));

    [Fact]
    public void Dictionaries_survive_including_nested_values()
    {
        RoundTrips(
            10,
            any => any.Chance(10) ? null : Enumerable.Range(0, any.Size(15)).ToDictionary(n => $"{any.String()}#{n}", _ => any.Int32()),
            CodecSubjects.EchoDictionaryProcess.Id,
            CodecSubjects.EchoDictionaryProcess.EncodeArguments,
            CodecSubjects.EchoDictionaryProcess.DecodeResult,
            CodecSubjects.EchoDictionary);
        RoundTrips(
            11,
            any => any.Chance(10) ? null : Enumerable.Range(0, any.Size(8)).ToDictionary(n => n * 7919 - 4, _ => any.ListOf(any.NullableString, 5)),
            CodecSubjects.EchoNestedDictionaryProcess.Id,
            CodecSubjects.EchoNestedDictionaryProcess.EncodeArguments,
            CodecSubjects.EchoNestedDictionaryProcess.DecodeResult,
            CodecSubjects.EchoNestedDictionary);
    }

    [Fact]
    public void Tuples_cross_as_their_elements()
    {
        RoundTrips(12, any => (Count: any.Int32(), Label: any.NullableString()), CodecSubjects.EchoTupleProcess.Id,
            CodecSubjects.EchoTupleProcess.EncodeArguments, CodecSubjects.EchoTupleProcess.DecodeResult, CodecSubjects.EchoTuple);
        RoundTrips(19, any => new ValueTuple<Guid>(any.Guid()), CodecSubjects.EchoSingleProcess.Id,
            CodecSubjects.EchoSingleProcess.EncodeArguments, CodecSubjects.EchoSingleProcess.DecodeResult, CodecSubjects.EchoSingle);
    }

    [Fact]
    public void Records_with_constructor_and_init_members_survive()
    {
        RoundTrips(13, any => any.Chance(10) ? null : any.Order(), CodecSubjects.EchoOrderProcess.Id, CodecSubjects.EchoOrderProcess.EncodeArguments,
            CodecSubjects.EchoOrderProcess.DecodeResult, CodecSubjects.EchoOrder);
        RoundTrips(14, any => any.Order(), CodecSubjects.TotalProcess.Id, CodecSubjects.TotalProcess.EncodeArguments,
            CodecSubjects.TotalProcess.DecodeResult, CodecSubjects.Total);
        RoundTrips(15, any => Enumerable.Range(0, any.Size(5)).Select(_ => any.Order()).DistinctBy(o => o.Id).ToList(), CodecSubjects.IndexProcess.Id,
            CodecSubjects.IndexProcess.EncodeArguments, CodecSubjects.IndexProcess.DecodeResult, CodecSubjects.Index);
    }

    [Fact]
    public void Structs_memberless_structs_and_classes_with_setters_survive() =>
        RoundTrips(
            16,
            any => (new Mutable { A = any.Int32(), B = any.NullableString() }, new Empty[any.Size(10)],
                any.Chance(15) ? null : new Settings { Name = any.String(), Values = any.ArrayOf(any.Int32), Timeout = any.TimeSpan() }),
            CodecSubjects.EchoShapesProcess.Id,
            a => CodecSubjects.EchoShapesProcess.EncodeArguments(a.Item1, default, a.Item2, a.Item3),
            CodecSubjects.EchoShapesProcess.DecodeResult,
            a => CodecSubjects.EchoShapes(a.Item1, default, a.Item2, a.Item3));

    [Fact]
    public void Members_inherited_from_base_classes_survive()
    {
        RoundTrips(17, any => new Dog { Name = any.String(), Good = any.Bool() }, CodecSubjects.EchoDogProcess.Id,
            CodecSubjects.EchoDogProcess.EncodeArguments, CodecSubjects.EchoDogProcess.DecodeResult, CodecSubjects.EchoDog);
        RoundTrips(18, any => new Puppy(any.String(), any.Int32()), CodecSubjects.EchoPuppyProcess.Id,
            CodecSubjects.EchoPuppyProcess.EncodeArguments, CodecSubjects.EchoPuppyProcess.DecodeResult, CodecSubjects.EchoPuppy);
    }

    [Fact]
    public void Recursive_classes_survive_up_to_the_depth_limit()
    {
        Node chain = Chain(Wire.WireLimits.MaxDepth);
        Node? decoded = Dispatch.RoundTrip(CodecSubjects.EchoNodeProcess.Id, CodecSubjects.EchoNodeProcess.EncodeArguments(chain),
            CodecSubjects.EchoNodeProcess.DecodeResult);
        DeepAssert.Equal(chain, decoded);
    }

    [Fact]
    public void Cross_process_handles_cross_by_name_and_are_reopened_on_the_other_side()
    {
        var original = new Channel("session-1/queue-7");
        Channel? decoded = Dispatch.RoundTrip(CodecSubjects.ReopenProcess.Id, CodecSubjects.ReopenProcess.EncodeArguments(original),
            CodecSubjects.ReopenProcess.DecodeResult);

        Assert.NotNull(decoded);
        Assert.NotSame(original, decoded);
        Assert.Equal("session-1/queue-7", decoded.HandleName);
        Assert.True(decoded.Opened);
        Assert.Null(Dispatch.RoundTrip(CodecSubjects.ReopenProcess.Id, CodecSubjects.ReopenProcess.EncodeArguments(null),
            CodecSubjects.ReopenProcess.DecodeResult));
    }

    [Fact]
    public void Async_methods_run_to_completion_in_the_invoker()
    {
        long square = Dispatch.RoundTrip(CodecSubjects.SquareAsyncProcess.Id, CodecSubjects.SquareAsyncProcess.EncodeArguments(46_341),
            CodecSubjects.SquareAsyncProcess.DecodeResult);
        Assert.Equal(2_147_488_281L, square);
        Assert.Equal("done ✓", Dispatch.RoundTrip(CodecSubjects.EchoStringAsyncProcess.Id,
            CodecSubjects.EchoStringAsyncProcess.EncodeArguments("done ✓"), CodecSubjects.EchoStringAsyncProcess.DecodeResult));

        Assert.Empty(Dispatch.Invoke(CodecSubjects.RequireAsyncProcess.Id, CodecSubjects.RequireAsyncProcess.EncodeArguments(41).Span));
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Dispatch.Invoke(CodecSubjects.RequireAsyncProcess.Id, CodecSubjects.RequireAsyncProcess.EncodeArguments(-41).Span));
        Assert.Contains("-41", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Void_and_parameterless_methods_are_invoked_with_nothing_to_decode()
    {
        Assert.Empty(Dispatch.Invoke(CodecSubjects.RequireProcess.Id, CodecSubjects.RequireProcess.EncodeArguments(7).Span));
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Dispatch.Invoke(CodecSubjects.RequireProcess.Id, CodecSubjects.RequireProcess.EncodeArguments(-7).Span));
        Assert.Contains("-7", error.Message, StringComparison.Ordinal);

        Assert.True(CodecSubjects.AnswerProcess.EncodeArguments().IsEmpty);
        Assert.Equal(42, Dispatch.RoundTrip(CodecSubjects.AnswerProcess.Id, ReadOnlyMemory<byte>.Empty, CodecSubjects.AnswerProcess.DecodeResult));
    }

    [Fact]
    public void Dispatch_entries_name_the_method_and_its_assembly_and_overloads_get_their_own_ids()
    {
        Assert.True(ProcessDispatch.TryGet(CodecSubjects.EchoOrderProcess.Id, out ProcessMethod? method));
        Assert.Equal("ParallelDsl.Runtime.Tests.Codecs.CodecSubjects.EchoOrder(ParallelDsl.Runtime.Tests.Codecs.Order)", method.Name);
        Assert.Same(typeof(CodecSubjects).Assembly, method.Owner);

        ulong[] sumIds = typeof(CodecSubjects).GetNestedTypes(BindingFlags.NonPublic)
            .Where(type => type.Name.StartsWith("SumProcess_", StringComparison.Ordinal))
            .Select(type => (ulong)type.GetField("Id")!.GetRawConstantValue()!)
            .ToArray();
        Assert.Equal(2, sumIds.Length);
        Assert.NotEqual(sumIds[0], sumIds[1]);
        Assert.All(sumIds, id => Assert.True(ProcessDispatch.TryGet(id, out _)));
    }

    /// <summary>
    /// For <see cref="Cases"/> random argument sets: encode with the generated encoder, run the generated invoker from the
    /// dispatch table, decode with the generated decoder, and compare with calling the method directly.
    /// </summary>
    private static void RoundTrips<TArgs, TResult>(
        int seed,
        Func<Arbitrary, TArgs> arbitrary,
        ulong id,
        Func<TArgs, ReadOnlyMemory<byte>> encode,
        ProcessResultDecoder<TResult> decode,
        Func<TArgs, TResult> direct)
    {
        var any = new Arbitrary(seed);
        for (int i = 0; i < Cases; i++)
        {
            TArgs args = arbitrary(any);
            DeepAssert.Equal(direct(args), Dispatch.RoundTrip(id, encode(args), decode), $"case {i}");
        }
    }

    private static Node Chain(int length)
    {
        var head = new Node { Value = 0 };
        Node current = head;
        for (int i = 1; i < length; i++)
        {
            current.Next = new Node { Value = i };
            current = current.Next;
        }

        return head;
    }
}
