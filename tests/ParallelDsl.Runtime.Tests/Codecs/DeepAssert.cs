using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ParallelDsl.Runtime.Tests.Codecs;

/// <summary>
/// Structural equality for decoded values: collections item by item, objects member by member, and the values whose
/// Equals forgets something that must survive the trip (a DateTime's kind, a DateTimeOffset's offset, a decimal's scale,
/// the sign of a zero or the payload of a NaN).
/// </summary>
internal static class DeepAssert
{
    public static void Equal(object? expected, object? actual, string path = "value")
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {Show(expected)}, got {Show(actual)}");
            return;
        }

        Type type = expected.GetType();
        Assert.True(type == actual.GetType(), $"{path}: expected a {type}, got a {actual.GetType()}");
        switch (expected)
        {
            case Array array when type.GetElementType()!.IsPrimitive:
                // Bit for bit, and fast enough for megabyte-sized blocks.
                Assert.True(Bytes(array).SequenceEqual(Bytes((Array)actual)), $"{path}: the {type.GetElementType()!.Name} arrays differ");
                return;
            case double d:
                Assert.True(BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits((double)actual), $"{path}: expected {d:R}, got {actual:R}");
                return;
            case float f:
                Assert.True(BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits((float)actual), $"{path}: expected {f:R}, got {actual:R}");
                return;
            case decimal m:
                Assert.True(decimal.GetBits(m).SequenceEqual(decimal.GetBits((decimal)actual)), $"{path}: expected {m}, got {actual}");
                return;
            case DateTime t:
                Assert.True(t.Ticks == ((DateTime)actual).Ticks && t.Kind == ((DateTime)actual).Kind, $"{path}: expected {t:O} ({t.Kind}), got {actual:O} ({((DateTime)actual).Kind})");
                return;
            case DateTimeOffset o:
                Assert.True(o.EqualsExact((DateTimeOffset)actual), $"{path}: expected {o:O}, got {actual:O}");
                return;
            case string or bool or char or Enum or Guid or TimeSpan or DateOnly or TimeOnly
                or sbyte or byte or short or ushort or int or uint or long or ulong:
                Assert.True(expected.Equals(actual), $"{path}: expected {Show(expected)}, got {Show(actual)}");
                return;
            case ITuple tuple:
                var other = (ITuple)actual;
                Assert.Equal(tuple.Length, other.Length);
                for (int i = 0; i < tuple.Length; i++)
                {
                    Equal(tuple[i], other[i], $"{path}.Item{i + 1}");
                }

                return;
            case IDictionary dictionary:
                var actualDictionary = (IDictionary)actual;
                Assert.True(dictionary.Count == actualDictionary.Count, $"{path}: expected {dictionary.Count} entries, got {actualDictionary.Count}");
                foreach (DictionaryEntry entry in dictionary)
                {
                    Assert.True(actualDictionary.Contains(entry.Key), $"{path}: key {Show(entry.Key)} is missing");
                    Equal(entry.Value, actualDictionary[entry.Key], $"{path}[{Show(entry.Key)}]");
                }

                return;
            case IEnumerable sequence:
                object?[] expectedItems = sequence.Cast<object?>().ToArray();
                object?[] actualItems = ((IEnumerable)actual).Cast<object?>().ToArray();
                Assert.True(expectedItems.Length == actualItems.Length, $"{path}: expected {expectedItems.Length} items, got {actualItems.Length}");
                for (int i = 0; i < expectedItems.Length; i++)
                {
                    Equal(expectedItems[i], actualItems[i], $"{path}[{i}]");
                }

                return;
        }

        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            Equal(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }

        foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            Equal(field.GetValue(expected), field.GetValue(actual), $"{path}.{field.Name}");
        }
    }

    private static ReadOnlySpan<byte> Bytes(Array array) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(
            ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(array), Buffer.ByteLength(array));

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => s.Length > 40 ? $"\"{s[..40]}…\" ({s.Length} chars)" : $"\"{s}\"",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
