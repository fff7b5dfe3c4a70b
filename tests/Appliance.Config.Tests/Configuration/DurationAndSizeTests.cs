using Appliance.Config.Binding;

namespace Appliance.Config.Tests.Configuration;

public sealed class DurationAndSizeTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("1s", 1_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("0s", 0)]
    public void DurationsAreParsedWithTheirUnit(string text, double milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out TimeSpan value, out string problem), problem);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("s")]
    [InlineData("-1s")]
    [InlineData("1.s")]
    [InlineData(".5s")]
    [InlineData("1 s")]
    [InlineData("1d")]
    [InlineData("9999h")]
    [InlineData("1e3ms")]
    public void MalformedDurationsAreRefused(string text) => Assert.False(DurationText.TryParse(text, out _, out _));

    [Theory]
    [InlineData("512KiB", 512L * 1024)]
    [InlineData("256MiB", 256L << 20)]
    [InlineData("1GB", 1_000_000_000)]
    [InlineData("100B", 100)]
    public void SizesAreParsedWithTheirUnit(string text, long bytes)
    {
        Assert.True(SizeText.TryParse(text, out long value, out string problem), problem);
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("1.5GiB")]
    [InlineData("MiB")]
    [InlineData("-1MiB")]
    [InlineData("99999999999TiB")]
    public void MalformedSizesAreRefused(string text) => Assert.False(SizeText.TryParse(text, out _, out _));

    [Theory]
    [InlineData("brokr", "broker")]
    [InlineData("keepalvie", "keepalive")]
    [InlineData("QOS", "qos")]
    [InlineData("zzzzzz", null)]
    public void ACloseKeyIsSuggested(string typed, string? expected) =>
        Assert.Equal(expected, KeySuggestion.Closest(typed, ["broker", "keepalive", "qos", "client_id"]));
}
