using System.Buffers.Binary;
using ParallelDsl.Wire;

namespace ParallelDsl.Runtime.Tests.Codecs;

/// <summary>
/// What a worker does with arguments that are not what the generated encoder writes: truncated, padded, corrupted or
/// crafted data ends in a <see cref="WireFormatException"/> that names what was read where, never in another exception,
/// a huge allocation or a hang. And what the encoder refuses to write.
/// </summary>
public sealed class MalformedInputTests
{
    public static TheoryData<string> Samples => new(ValidSamples().Select(sample => sample.Name));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_truncation_of_valid_arguments_is_a_format_error(string sample)
    {
        (ulong id, byte[] bytes) = Sample(sample);
        int step = Math.Max(1, bytes.Length / 500);
        for (int length = 0; length < bytes.Length; length += step)
        {
            WireFormatException error = Assert.Throws<WireFormatException>(() => Dispatch.Invoke(id, bytes.AsSpan(0, length)));
            Assert.InRange(error.Offset, 0, length);
            Assert.Contains($"offset {error.Offset}", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Bytes_left_over_after_the_arguments_are_a_format_error(string sample)
    {
        (ulong id, byte[] bytes) = Sample(sample);
        WireFormatException error = Assert.Throws<WireFormatException>(() => Dispatch.Invoke(id, [.. bytes, 0]));
        Assert.Equal(bytes.Length, error.Offset);
        Assert.Contains("1 unexpected bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Corrupted_bytes_decode_or_fail_as_format_errors_and_never_otherwise(string sample)
    {
        (ulong id, byte[] bytes) = Sample(sample);
        var random = new Random(sample.Length);
        for (int i = 0; i < 2_000; i++)
        {
            byte[] corrupted = (byte[])bytes.Clone();
            for (int flips = random.Next(1, 4); flips > 0 && corrupted.Length > 0; flips--)
            {
                corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
            }

            DecodesOrFailsCleanly(id, corrupted);
        }
    }

    [Fact]
    public void Random_garbage_decodes_or_fails_as_a_format_error_and_never_otherwise()
    {
        var random = new Random(77);
        ulong[] ids = ValidSamples().Select(sample => sample.Id).Distinct().ToArray();
        for (int i = 0; i < 5_000; i++)
        {
            byte[] garbage = new byte[random.Next(0, 96)];
            random.NextBytes(garbage);
            DecodesOrFailsCleanly(ids[i % ids.Length], garbage);
        }
    }

    [Theory]
    [InlineData(nameof(CodecSubjects.EchoString))]
    [InlineData(nameof(CodecSubjects.EchoBytes))]
    [InlineData(nameof(CodecSubjects.EchoDictionary))]
    [InlineData(nameof(CodecSubjects.EchoOrder))]
    public void A_huge_length_prefix_fails_before_anything_is_allocated(string method)
    {
        (ulong id, byte[] bytes) = method switch
        {
            nameof(CodecSubjects.EchoString) => (CodecSubjects.EchoStringProcess.Id, Concat(Int32(int.MaxValue), "abc"u8.ToArray())),
            nameof(CodecSubjects.EchoBytes) => (CodecSubjects.EchoBytesProcess.Id, Concat(Int32(int.MaxValue - 7), [1, 2, 3])),
            nameof(CodecSubjects.EchoDictionary) => (CodecSubjects.EchoDictionaryProcess.Id, Concat(Int32(100_000_000), new byte[64])),

            // An order whose Lines list claims a billion lines: presence, Guid, null customer, then the count.
            _ => (CodecSubjects.EchoOrderProcess.Id, Concat([1], new byte[16], Int32(-1), Int32(1_000_000_000), new byte[32])),
        };

        long before = GC.GetAllocatedBytesForCurrentThread();
        WireFormatException error = Assert.Throws<WireFormatException>(() => Dispatch.Invoke(id, bytes));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("cannot fit", error.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 1 << 20);
    }

    [Fact]
    public void A_count_below_minus_one_is_a_format_error()
    {
        WireFormatException error = Assert.Throws<WireFormatException>(() =>
            Dispatch.Invoke(CodecSubjects.EchoBytesProcess.Id, Int32(-2)));
        Assert.Equal(0, error.Offset);
        Assert.Contains("of -2", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> InvalidValueCases => new(InvalidValues().Select(value => value.Expected));

    [Theory]
    [MemberData(nameof(InvalidValueCases))]
    public void Values_no_such_type_can_hold_are_format_errors_that_say_so(string expected)
    {
        (_, ulong id, byte[] bytes) = InvalidValues().Single(value => value.Expected == expected);
        WireFormatException error = Assert.Throws<WireFormatException>(() => Dispatch.Invoke(id, bytes));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains($"offset {error.Offset}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_nested_deeper_than_the_limit_is_a_format_error()
    {
        var bytes = new List<byte>();
        for (int i = 0; i <= WireLimits.MaxDepth; i++)
        {
            bytes.Add(1);
            bytes.AddRange(Int32(i));
        }

        bytes.Add(0);
        WireFormatException error = Assert.Throws<WireFormatException>(() => Dispatch.Invoke(CodecSubjects.EchoNodeProcess.Id, bytes.ToArray()));
        Assert.Contains($"more than {WireLimits.MaxDepth} deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_nested_deeper_than_the_limit_and_cycles_are_refused_when_encoding()
    {
        var head = new Node();
        Node tail = head;
        for (int i = 0; i < WireLimits.MaxDepth; i++)
        {
            tail = tail.Next = new Node { Value = i };
        }

        NotSupportedException deep = Assert.Throws<NotSupportedException>(() => CodecSubjects.EchoNodeProcess.EncodeArguments(head));
        Assert.Contains($"more than {WireLimits.MaxDepth}", deep.Message, StringComparison.Ordinal);

        var loop = new Node { Value = 1 };
        loop.Next = loop;
        NotSupportedException cycle = Assert.Throws<NotSupportedException>(() => CodecSubjects.EchoNodeProcess.EncodeArguments(loop));
        Assert.Contains("cycle", cycle.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subclass_passed_where_its_base_class_is_declared_is_refused_naming_the_actual_type()
    {
        var dog = new Dog { Name = "Rex", Good = true };
        NotSupportedException direct = Assert.Throws<NotSupportedException>(() => CodecSubjects.DescribeProcess.EncodeArguments(dog));
        Assert.Contains(typeof(Dog).FullName!, direct.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(Animal).FullName!, direct.Message, StringComparison.Ordinal);

        NotSupportedException nested = Assert.Throws<NotSupportedException>(() =>
            CodecSubjects.EchoAnimalsProcess.EncodeArguments([new Animal { Name = "Cat" }, dog]));
        Assert.Contains(typeof(Dog).FullName!, nested.Message, StringComparison.Ordinal);

        NotSupportedException list = Assert.Throws<NotSupportedException>(() =>
            CodecSubjects.EchoListsProcess.EncodeArguments(new TaggedList { 1, 2 }, null, null, null));
        Assert.Contains(typeof(TaggedList).FullName!, list.Message, StringComparison.Ordinal);

        Assert.Equal("Cat", Dispatch.RoundTrip(CodecSubjects.DescribeProcess.Id,
            CodecSubjects.DescribeProcess.EncodeArguments(new Animal { Name = "Cat" }), CodecSubjects.DescribeProcess.DecodeResult));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(5_000)]
    public void Strings_with_an_unpaired_surrogate_are_refused_when_encoding(int length)
    {
        string broken = new string('a', length) + '\uD800' + "b";
        NotSupportedException error = Assert.Throws<NotSupportedException>(() => CodecSubjects.EchoStringProcess.EncodeArguments(broken));
        Assert.Contains("unpaired surrogate", error.Message, StringComparison.Ordinal);
    }

    private static void DecodesOrFailsCleanly(ulong id, byte[] bytes)
    {
        try
        {
            Dispatch.Invoke(id, bytes);
        }
        catch (WireFormatException error)
        {
            Assert.InRange(error.Offset, 0, bytes.Length);
        }
    }

    private static (ulong Id, byte[] Bytes) Sample(string name) => ValidSamples().Single(sample => sample.Name == name) is var s ? (s.Id, s.Bytes) : default;

    private static IEnumerable<(string Name, ulong Id, byte[] Bytes)> ValidSamples()
    {
        var any = new Arbitrary(99);
        Order order = any.Order() with { Lines = [any.Line(), any.Line()], Tags = new() { ["k"] = 1 }, Due = DateTime.UtcNow };
        yield return ("order", CodecSubjects.EchoOrderProcess.Id, CodecSubjects.EchoOrderProcess.EncodeArguments(order).ToArray());
        yield return ("primitives", CodecSubjects.EchoPrimitivesProcess.Id, CodecSubjects.EchoPrimitivesProcess.EncodeArguments(
            true, 'x', -1, 2, -3, 4, -5, 6, -7, 8, 9.5f, -10.25, 11.125m).ToArray());
        yield return ("times", CodecSubjects.EchoTimesProcess.Id, CodecSubjects.EchoTimesProcess.EncodeArguments(
            any.DateTime(), any.DateTimeOffset(), any.TimeSpan(), any.Guid(), any.DateOnly(), any.TimeOnly()).ToArray());
        yield return ("arrays", CodecSubjects.EchoArraysProcess.Id, CodecSubjects.EchoArraysProcess.EncodeArguments(
            [1, 2], [0.5], ['é'], [true, false], ["a", null], [[1], []], [1.5m]).ToArray());
        yield return ("nested dictionary", CodecSubjects.EchoNestedDictionaryProcess.Id, CodecSubjects.EchoNestedDictionaryProcess.EncodeArguments(
            new() { [1] = ["x", null], [2] = null }).ToArray());
        yield return ("shapes", CodecSubjects.EchoShapesProcess.Id, CodecSubjects.EchoShapesProcess.EncodeArguments(
            new Mutable { A = 3, B = "b" }, default, [default, default], new Settings { Name = "s", Values = [1, 2, 3] }).ToArray());
        yield return ("nullables", CodecSubjects.EchoNullablesProcess.Id, CodecSubjects.EchoNullablesProcess.EncodeArguments(
            5, DateTime.MaxValue, new Point(1, 2), Color.Blue).ToArray());
        yield return ("nodes", CodecSubjects.EchoNodeProcess.Id, CodecSubjects.EchoNodeProcess.EncodeArguments(
            new Node { Value = 1, Next = new Node { Value = 2 } }).ToArray());
    }

    /// <summary>Arguments that hold a value no variable of the declared type can hold, and what the error must say.</summary>
    private static IEnumerable<(string Expected, ulong Id, byte[] Bytes)> InvalidValues()
    {
        byte[] nullArray = Int32(-1);
        yield return ("Boolean of 2", CodecSubjects.EchoArraysProcess.Id, Concat(nullArray, nullArray, nullArray, Int32(1), [2]));
        yield return ("presence marker of 7", CodecSubjects.EchoOrderProcess.Id, [7]);

        // EchoNullables(int?, DateTime?, …): no int, then a DateTime with a bad kind or bad ticks.
        yield return ("kind 3", CodecSubjects.EchoNullablesProcess.Id, Concat([0, 1], Int64(0), [3]));
        yield return ("outside the range of DateTime", CodecSubjects.EchoNullablesProcess.Id, Concat([0, 1], Int64(long.MaxValue), [0]));

        // Total(Order): one line whose price has a scale of 255.
        yield return ("not a sign and a scale", CodecSubjects.TotalProcess.Id,
            Concat([1], new byte[16], Int32(-1), Int32(1), [1], Int32(0), Int32(0), new byte[12], Int32(255 << 16)));

        // EchoTimes(DateTime, DateTimeOffset, TimeSpan, Guid, DateOnly, …): a day number of -1.
        yield return ("day number -1", CodecSubjects.EchoTimesProcess.Id, Concat(new byte[9], new byte[10], new byte[8], new byte[16], Int32(-1)));
        yield return ("offset 900 minutes", CodecSubjects.EchoTimesProcess.Id, Concat(new byte[9], Int64(TimeSpan.TicksPerDay), Int16(900)));
        yield return ("not valid UTF-8", CodecSubjects.EchoStringProcess.Id, Concat(Int32(2), [0xC3, 0x28]));

        // EchoDictionary(Dictionary<string, int>): the key "a" twice, or a null key.
        byte[] keyA = Concat(Int32(1), "a"u8.ToArray());
        yield return ("repeats an earlier key", CodecSubjects.EchoDictionaryProcess.Id, Concat(Int32(2), keyA, Int32(1), keyA, Int32(2)));
        yield return ("is null", CodecSubjects.EchoDictionaryProcess.Id, Concat(Int32(1), Int32(-1), Int32(1)));
    }

    private static byte[] Int16(short value)
    {
        byte[] bytes = new byte[2];
        BinaryPrimitives.WriteInt16LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Int64(long value)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Int32(int value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(part => part).ToArray();

    /// <summary>A list subclass: its extra data would be lost, so it must not pass as a plain list.</summary>
    private sealed class TaggedList : List<long>
    {
        public string Tag { get; set; } = "extra";
    }
}
