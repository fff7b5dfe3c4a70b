using System.Text;

namespace Appliance.Config.Tests.Configuration;

/// <summary>
/// A tag's <c>order</c> is bound once, into <see cref="ByteOrder"/>: every word the file accepts for the tag's
/// size binds to exactly one order, and a word that does not fit the size is reported with the words that do.
/// </summary>
public sealed class ByteOrderTests
{
    private const string Device = """
        [[device]]
        name = "plc"
        host = "127.0.0.1"
        [[device.group]]
        name = "g"
        [[device.group.tag]]
        name = "t"
        address = 0

        """;

    [Theory]
    [InlineData("int16", "AB", ByteOrder.BigEndian)]
    [InlineData("int16", "BA", ByteOrder.ByteSwapped)]
    [InlineData("uint16", "AB", ByteOrder.BigEndian)]
    [InlineData("uint16", "BA", ByteOrder.ByteSwapped)]
    [InlineData("string", "AB", ByteOrder.BigEndian)]
    [InlineData("string", "BA", ByteOrder.ByteSwapped)]
    [InlineData("int32", "ABCD", ByteOrder.BigEndian)]
    [InlineData("int32", "BADC", ByteOrder.ByteSwapped)]
    [InlineData("int32", "CDAB", ByteOrder.WordSwapped)]
    [InlineData("int32", "DCBA", ByteOrder.LittleEndian)]
    [InlineData("uint32", "ABCD", ByteOrder.BigEndian)]
    [InlineData("uint32", "BADC", ByteOrder.ByteSwapped)]
    [InlineData("uint32", "CDAB", ByteOrder.WordSwapped)]
    [InlineData("uint32", "DCBA", ByteOrder.LittleEndian)]
    [InlineData("float32", "ABCD", ByteOrder.BigEndian)]
    [InlineData("float32", "BADC", ByteOrder.ByteSwapped)]
    [InlineData("float32", "CDAB", ByteOrder.WordSwapped)]
    [InlineData("float32", "DCBA", ByteOrder.LittleEndian)]
    [InlineData("int64", "ABCDEFGH", ByteOrder.BigEndian)]
    [InlineData("int64", "BADCFEHG", ByteOrder.ByteSwapped)]
    [InlineData("int64", "GHEFCDAB", ByteOrder.WordSwapped)]
    [InlineData("int64", "HGFEDCBA", ByteOrder.LittleEndian)]
    [InlineData("uint64", "ABCDEFGH", ByteOrder.BigEndian)]
    [InlineData("uint64", "BADCFEHG", ByteOrder.ByteSwapped)]
    [InlineData("uint64", "GHEFCDAB", ByteOrder.WordSwapped)]
    [InlineData("uint64", "HGFEDCBA", ByteOrder.LittleEndian)]
    [InlineData("float64", "ABCDEFGH", ByteOrder.BigEndian)]
    [InlineData("float64", "BADCFEHG", ByteOrder.ByteSwapped)]
    [InlineData("float64", "GHEFCDAB", ByteOrder.WordSwapped)]
    [InlineData("float64", "HGFEDCBA", ByteOrder.LittleEndian)]
    public void EveryOrderTheFileAcceptsBindsToOneByteOrder(string type, string word, ByteOrder expected)
    {
        TagConfig tag = Bind($"type = \"{type}\"\norder = \"{word}\"\n");

        Assert.Equal(expected, tag.Order);
    }

    [Theory]
    [InlineData("int16")]
    [InlineData("string")]
    [InlineData("float32")]
    [InlineData("uint64")]
    [InlineData("bit")]
    public void WithoutAnOrderATagIsBigEndian(string type)
    {
        Assert.Equal(ByteOrder.BigEndian, Bind($"type = \"{type}\"\n").Order);
    }

    [Theory]
    [InlineData("int16", "CDAB", "10:9: device.group.tag.order must be one of \"AB\", \"BA\", not \"CDAB\"")]
    [InlineData("string", "ABCD", "10:9: device.group.tag.order must be one of \"AB\", \"BA\", not \"ABCD\"")]
    [InlineData("float32", "AB", "10:9: device.group.tag.order must be one of \"ABCD\", \"CDAB\", \"BADC\", \"DCBA\", not \"AB\"")]
    [InlineData("int32", "abcd", "10:9: device.group.tag.order must be one of \"ABCD\", \"CDAB\", \"BADC\", \"DCBA\", not \"abcd\"")]
    [InlineData("uint32", "ACBD", "10:9: device.group.tag.order must be one of \"ABCD\", \"CDAB\", \"BADC\", \"DCBA\", not \"ACBD\"")]
    [InlineData("float64", "ABCD", "10:9: device.group.tag.order must be one of \"ABCDEFGH\", \"GHEFCDAB\", \"BADCFEHG\", \"HGFEDCBA\", not \"ABCD\"")]
    [InlineData("int64", "CDABGHEF", "10:9: device.group.tag.order must be one of \"ABCDEFGH\", \"GHEFCDAB\", \"BADCFEHG\", \"HGFEDCBA\", not \"CDABGHEF\"")]
    [InlineData("bit", "AB", "10:9: device.group.tag.order does not apply to type = \"bit\"; remove it")]
    public void AnOrderThatDoesNotFitTheTypeIsReportedWithTheOrdersThatDo(string type, string word, string expected)
    {
        ConfigLoadResult result = Parse($"type = \"{type}\"\norder = \"{word}\"\n");

        Assert.False(result.IsValid);
        string[] lines = [.. result.Errors.Select(error => $"{error.Line}:{error.Column}: {error.Message}")];
        Assert.True(lines.Any(line => line.StartsWith(expected, StringComparison.Ordinal)), $"expected \"{expected}\"; reported:\n{string.Join('\n', lines)}");
    }

    private static TagConfig Bind(string lines)
    {
        ConfigLoadResult result = Parse(lines);
        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        return result.Config.Devices[0].Groups[0].Tags[0];
    }

    private static ConfigLoadResult Parse(string lines) =>
        ConfigLoader.Parse(Encoding.UTF8.GetBytes(Device + lines), "test.toml", "/");
}
