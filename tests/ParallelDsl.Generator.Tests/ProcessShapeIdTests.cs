using System.Text.RegularExpressions;

namespace ParallelDsl.Generator.Tests;

/// <summary>
/// The shape id the generator writes beside each method id: it changes when the bytes the method's codecs write would
/// change (a cluster worker of such a build refuses the method's batches), and only then.
/// </summary>
public sealed class ProcessShapeIdTests
{
    private const string Source = """
        using System.Collections.Generic;
        using System.Linq;
        using ParallelDsl;

        namespace Demo;

        public record Line(string Sku, int Quantity);

        public record Order(int Id, List<Line> Lines, decimal? Discount);

        static partial class Shop
        {
            // Counts the lines.
            [RunInProcess] static int Count(Order order) => order.Lines.Count();

            [RunInProcess] static Line First(Order order) => order.Lines[0];

            [RunInProcess] static int Square(int x) => x * x;
        }
        """;

    [Fact]
    public void Every_compilation_of_the_same_source_gets_the_same_shape_ids_and_methods_of_different_types_different_ones()
    {
        Dictionary<string, (ulong Id, ulong Shape)> first = Holders(Source);
        Dictionary<string, (ulong Id, ulong Shape)> second = Holders("// another compilation\n" + Source);

        Assert.Equal(first, second);
        Assert.Equal(["CountProcess", "FirstProcess", "SquareProcess"], first.Keys.Order());
        Assert.Equal(3, first.Values.Select(holder => holder.Shape).Distinct().Count());
    }

    [Theory]
    [InlineData("a member added to a record inside a list", "Line(string Sku, int Quantity)", "Line(string Sku, int Quantity, string Note)")]
    [InlineData("a member of a record removed", "List<Line> Lines, decimal? Discount)", "List<Line> Lines)")]
    [InlineData("a member's type changed", "int Quantity)", "long Quantity)")]
    [InlineData("members reordered", "Line(string Sku, int Quantity)", "Line(int Quantity, string Sku)")]
    [InlineData("a member renamed", "int Quantity)", "int Count)")]
    [InlineData("a nullable value made plain", "decimal? Discount", "decimal Discount")]
    [InlineData("a list made an array", "List<Line> Lines", "Line[] Lines")]
    public void A_change_to_what_the_codecs_write_changes_the_shape_id_of_the_methods_that_use_the_type_only(string change, string from, string to)
    {
        Dictionary<string, (ulong Id, ulong Shape)> before = Holders(Source);
        Dictionary<string, (ulong Id, ulong Shape)> after = Holders(Edit(from, to));

        // The method ids stay: the shape id is what tells the two builds apart.
        Assert.Equal(before["CountProcess"].Id, after["CountProcess"].Id);
        Assert.True(before["CountProcess"].Shape != after["CountProcess"].Shape, $"{change}: Count's shape id stayed 0x{before["CountProcess"].Shape:X16}");
        Assert.True(before["FirstProcess"].Shape != after["FirstProcess"].Shape, $"{change}: First's shape id stayed 0x{before["FirstProcess"].Shape:X16}");
        Assert.Equal(before["SquareProcess"], after["SquareProcess"]);
    }

    [Theory]
    [InlineData("a comment", "// Counts the lines.", "// Counts the lines of the order, however many.")]
    [InlineData("a method body", "=> order.Lines.Count();", "=> order.Lines.Count() + order.Id - order.Id;")]
    [InlineData("a nullable annotation of a reference type, which the codecs do not see", "string Sku", "string? Sku")]
    [InlineData("a method added", "[RunInProcess] static int Square", "[RunInProcess] static int Cube(int x) => x * x * x;\n    [RunInProcess] static int Square")]
    [InlineData("an unrelated type added", "public record Order", "public record Invoice(string Number);\n\npublic record Order")]
    public void An_edit_that_leaves_the_encoded_bytes_alone_keeps_every_shape_id(string edit, string from, string to)
    {
        Dictionary<string, (ulong Id, ulong Shape)> before = Holders(Source);
        Dictionary<string, (ulong Id, ulong Shape)> after = Holders(Edit(from, to));

        foreach ((string holder, (ulong Id, ulong Shape) ids) in before)
        {
            Assert.True(ids == after[holder], $"{edit}: {holder} went from {ids} to {after[holder]}");
        }
    }

    private static string Edit(string from, string to)
    {
        Assert.Contains(from, Source, StringComparison.Ordinal);
        return Source.Replace(from, to, StringComparison.Ordinal);
    }

    /// <summary>Each generated holder of <c>Demo.Shop</c> with its method id and shape id, after asserting the output compiles cleanly.</summary>
    private static Dictionary<string, (ulong Id, ulong Shape)> Holders(string source) =>
        Regex.Matches(
                GeneratorHarness.RunClean(source)["Demo.Shop.Process.g.cs"],
                @"internal static class (\w+)\s*\{[^}]*?public const ulong Id = 0x([0-9A-F]{16})UL;[^}]*?public const ulong ShapeId = 0x([0-9A-F]{16})UL;")
            .ToDictionary(m => m.Groups[1].Value, m => (Convert.ToUInt64(m.Groups[2].Value, 16), Convert.ToUInt64(m.Groups[3].Value, 16)));
}
