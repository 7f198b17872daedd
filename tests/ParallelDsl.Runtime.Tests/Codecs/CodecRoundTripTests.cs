using System.Reflection;

namespace ParallelDsl.Runtime.Tests.Codecs;

/// <summary>
/// For each family of types: many random values (fixed seed) are encoded by the generated launcher side, run through the
/// generated invoker found in the dispatch table, decoded by the generated decoder, and compared with a direct call.
/// </summary>
public sealed class CodecRoundTripTests
{
    private const int Cases = 300;

    [Fact]
    public void Primitives_survive_bit_for_bit()
    {
        var any = new Arbitrary(1);
        for (int i = 0; i < Cases; i++)
        {
            var args = (any.Bool(), any.Char(), any.Integer<sbyte>(), any.Integer<byte>(), any.Integer<short>(), any.Integer<ushort>(),
                any.Int32(), any.Integer<uint>(), any.Int64(), any.UInt64(), any.Single(), any.Double(), any.Decimal());
            var decoded = Dispatch.RoundTrip(
                CodecSubjects.EchoPrimitivesProcess.Id,
                CodecSubjects.EchoPrimitivesProcess.EncodeArguments(args.Item1, args.Item2, args.Item3, args.Item4, args.Item5, args.Item6,
                    args.Item7, args.Item8, args.Item9, args.Item10, args.Item11, args.Item12, args.Item13),
                CodecSubjects.EchoPrimitivesProcess.DecodeResult);
            DeepAssert.Equal(CodecSubjects.EchoPrimitives(args.Item1, args.Item2, args.Item3, args.Item4, args.Item5, args.Item6, args.Item7,
                args.Item8, args.Item9, args.Item10, args.Item11, args.Item12, args.Item13), decoded, $"case {i}");
        }
    }

    [Fact]
    public void Strings_survive_null_empty_long_and_non_ascii()
    {
        var any = new Arbitrary(2);
        for (int i = 0; i < Cases; i++)
        {
            string? value = any.NullableString();
            string? decoded = Dispatch.RoundTrip(CodecSubjects.EchoStringProcess.Id, CodecSubjects.EchoStringProcess.EncodeArguments(value),
                CodecSubjects.EchoStringProcess.DecodeResult);
            Assert.Equal(CodecSubjects.EchoString(value), decoded);

            string text = any.String();
            Assert.Equal(CodecSubjects.Utf8Length(text), Dispatch.RoundTrip(CodecSubjects.Utf8LengthProcess.Id,
                CodecSubjects.Utf8LengthProcess.EncodeArguments(text), CodecSubjects.Utf8LengthProcess.DecodeResult));
        }
    }

    [Fact]
    public void Enums_survive_as_their_underlying_integers_including_undeclared_values()
    {
        var any = new Arbitrary(3);
        for (int i = 0; i < Cases; i++)
        {
            (Color color, Access access, Tiny tiny) = (any.Enum<Color>(), (Access)any.UInt64(), any.Enum<Tiny>());
            var decoded = Dispatch.RoundTrip(CodecSubjects.EchoEnumsProcess.Id, CodecSubjects.EchoEnumsProcess.EncodeArguments(color, access, tiny),
                CodecSubjects.EchoEnumsProcess.DecodeResult);
            Assert.Equal(CodecSubjects.EchoEnums(color, access, tiny), decoded);
        }
    }

    [Fact]
    public void Dates_times_and_guids_keep_kind_offset_and_range_edges()
    {
        var any = new Arbitrary(4);
        for (int i = 0; i < Cases; i++)
        {
            var args = (any.DateTime(), any.DateTimeOffset(), any.TimeSpan(), any.Guid(), any.DateOnly(), any.TimeOnly());
            var decoded = Dispatch.RoundTrip(
                CodecSubjects.EchoTimesProcess.Id,
                CodecSubjects.EchoTimesProcess.EncodeArguments(args.Item1, args.Item2, args.Item3, args.Item4, args.Item5, args.Item6),
                CodecSubjects.EchoTimesProcess.DecodeResult);
            DeepAssert.Equal(CodecSubjects.EchoTimes(args.Item1, args.Item2, args.Item3, args.Item4, args.Item5, args.Item6), decoded, $"case {i}");
        }
    }

    [Fact]
    public void Nullable_values_survive_with_and_without_a_value()
    {
        var any = new Arbitrary(5);
        for (int i = 0; i < Cases; i++)
        {
            var args = (any.Maybe(any.Int32), any.Maybe(any.DateTime), any.Maybe(() => new Point(any.Double(), any.Double())), any.Maybe(any.Enum<Color>));
            var decoded = Dispatch.RoundTrip(
                CodecSubjects.EchoNullablesProcess.Id,
                CodecSubjects.EchoNullablesProcess.EncodeArguments(args.Item1, args.Item2, args.Item3, args.Item4),
                CodecSubjects.EchoNullablesProcess.DecodeResult);
            DeepAssert.Equal(CodecSubjects.EchoNullables(args.Item1, args.Item2, args.Item3, args.Item4), decoded, $"case {i}");
        }
    }

    [Fact]
    public void Arrays_survive_including_blocks_jagged_arrays_and_null_items()
    {
        var any = new Arbitrary(6);
        for (int i = 0; i < Cases; i++)
        {
            byte[]? bytes = any.Chance(10) ? null : any.Bytes(any.Chance(5) ? 1 << 20 : 64);
            DeepAssert.Equal(CodecSubjects.EchoBytes(bytes), Dispatch.RoundTrip(CodecSubjects.EchoBytesProcess.Id,
                CodecSubjects.EchoBytesProcess.EncodeArguments(bytes), CodecSubjects.EchoBytesProcess.DecodeResult), $"bytes {i}");

            var args = (any.ArrayOf(any.Int32, any.Chance(5) ? 50_000 : 20), any.ArrayOf(any.Double), any.ArrayOf(any.Char), any.ArrayOf(any.Bool),
                any.ArrayOf(any.NullableString), any.ArrayOf(() => any.ArrayOf(any.Int32)!, 5), any.ArrayOf(any.Decimal));
            var decoded = Dispatch.RoundTrip(
                CodecSubjects.EchoArraysProcess.Id,
                CodecSubjects.EchoArraysProcess.EncodeArguments(args.Item1, args.Item2, args.Item3, args.Item4, args.Item5, args.Item6, args.Item7),
                CodecSubjects.EchoArraysProcess.DecodeResult);
            DeepAssert.Equal(CodecSubjects.EchoArrays(args.Item1, args.Item2, args.Item3, args.Item4, args.Item5, args.Item6, args.Item7), decoded, $"case {i}");
        }
    }

    [Fact]
    public void Lists_survive_including_nested_lists_and_null_items()
    {
        var any = new Arbitrary(7);
        for (int i = 0; i < Cases; i++)
        {
            var args = (any.ListOf(any.Int64), any.ListOf(any.NullableString), any.ListOf(() => any.ListOf(any.Int32), 6),
                any.ListOf(() => any.Chance(20) ? null : any.Line(), 6));
            var decoded = Dispatch.RoundTrip(
                CodecSubjects.EchoListsProcess.Id,
                CodecSubjects.EchoListsProcess.EncodeArguments(args.Item1, args.Item2, args.Item3, args.Item4),
                CodecSubjects.EchoListsProcess.DecodeResult);
            DeepAssert.Equal(CodecSubjects.EchoLists(args.Item1, args.Item2, args.Item3, args.Item4), decoded, $"case {i}");
        }
    }

    [Fact]
    public void Dictionaries_survive_including_nested_values()
    {
        var any = new Arbitrary(8);
        for (int i = 0; i < Cases; i++)
        {
            Dictionary<string, int>? flat = any.Chance(10) ? null
                : Enumerable.Range(0, any.Size(15)).ToDictionary(n => $"{any.String()}#{n}", _ => any.Int32());
            DeepAssert.Equal(CodecSubjects.EchoDictionary(flat), Dispatch.RoundTrip(CodecSubjects.EchoDictionaryProcess.Id,
                CodecSubjects.EchoDictionaryProcess.EncodeArguments(flat), CodecSubjects.EchoDictionaryProcess.DecodeResult), $"flat {i}");

            Dictionary<int, List<string?>?>? nested = any.Chance(10) ? null
                : Enumerable.Range(0, any.Size(8)).ToDictionary(n => n * 7919 - 4, _ => any.ListOf(any.NullableString, 5));
            DeepAssert.Equal(CodecSubjects.EchoNestedDictionary(nested), Dispatch.RoundTrip(CodecSubjects.EchoNestedDictionaryProcess.Id,
                CodecSubjects.EchoNestedDictionaryProcess.EncodeArguments(nested), CodecSubjects.EchoNestedDictionaryProcess.DecodeResult), $"nested {i}");
        }
    }

    [Fact]
    public void Named_tuples_cross_as_their_elements()
    {
        var any = new Arbitrary(9);
        for (int i = 0; i < Cases; i++)
        {
            (int Count, string? Label) value = (any.Int32(), any.NullableString());
            Assert.Equal(CodecSubjects.EchoTuple(value), Dispatch.RoundTrip(CodecSubjects.EchoTupleProcess.Id,
                CodecSubjects.EchoTupleProcess.EncodeArguments(value), CodecSubjects.EchoTupleProcess.DecodeResult));
        }
    }

    [Fact]
    public void Records_with_constructor_and_init_members_survive()
    {
        var any = new Arbitrary(10);
        for (int i = 0; i < Cases; i++)
        {
            Order? order = any.Chance(10) ? null : any.Order();
            DeepAssert.Equal(CodecSubjects.EchoOrder(order), Dispatch.RoundTrip(CodecSubjects.EchoOrderProcess.Id,
                CodecSubjects.EchoOrderProcess.EncodeArguments(order), CodecSubjects.EchoOrderProcess.DecodeResult), $"case {i}");

            Order some = any.Order();
            Assert.Equal(CodecSubjects.Total(some), Dispatch.RoundTrip(CodecSubjects.TotalProcess.Id,
                CodecSubjects.TotalProcess.EncodeArguments(some), CodecSubjects.TotalProcess.DecodeResult));

            List<Order> orders = Enumerable.Range(0, any.Size(5)).Select(_ => any.Order()).DistinctBy(o => o.Id).ToList();
            DeepAssert.Equal(CodecSubjects.Index(orders), Dispatch.RoundTrip(CodecSubjects.IndexProcess.Id,
                CodecSubjects.IndexProcess.EncodeArguments(orders), CodecSubjects.IndexProcess.DecodeResult), $"index {i}");
        }
    }

    [Fact]
    public void Structs_memberless_structs_and_classes_with_setters_survive()
    {
        var any = new Arbitrary(11);
        for (int i = 0; i < Cases; i++)
        {
            var mutable = new Mutable { A = any.Int32(), B = any.NullableString() };
            Empty[] empties = new Empty[any.Size(10)];
            Settings? settings = any.Chance(15) ? null : new Settings { Name = any.String(), Values = any.ArrayOf(any.Int32), Timeout = any.TimeSpan() };
            var decoded = Dispatch.RoundTrip(
                CodecSubjects.EchoShapesProcess.Id,
                CodecSubjects.EchoShapesProcess.EncodeArguments(mutable, default, empties, settings),
                CodecSubjects.EchoShapesProcess.DecodeResult);
            DeepAssert.Equal(CodecSubjects.EchoShapes(mutable, default, empties, settings), decoded, $"case {i}");
        }
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

        Assert.Empty(Dispatch.Invoke(CodecSubjects.TouchAsyncProcess.Id, CodecSubjects.TouchAsyncProcess.EncodeArguments(41).Span));
        Assert.Equal(41, CodecSubjects.LastTouched);
    }

    [Fact]
    public void Void_and_parameterless_methods_are_invoked_with_nothing_to_decode()
    {
        Assert.Empty(Dispatch.Invoke(CodecSubjects.TouchProcess.Id, CodecSubjects.TouchProcess.EncodeArguments(-7).Span));
        Assert.Equal(-7, CodecSubjects.LastTouched);

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
