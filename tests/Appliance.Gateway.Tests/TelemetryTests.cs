using System.Text;
using Appliance.Config;
using Appliance.Gateway.Telemetry;
using Appliance.Sandbox.Parsing;
using Appliance.Testing;

namespace Appliance.Gateway.Tests;

/// <summary>The telemetry message's exact shape, and sequence numbers that survive a restart.</summary>
public sealed class TelemetryTests
{
    private static readonly ApplianceConfig Example = ConfigLoader.Parse(ExampleConfig.Utf8, "example.toml", "/").Config!;

    [Fact]
    public void AMessageHasTheDocumentedShapeWithEveryTagInValuesOrErrors()
    {
        ModbusDeviceConfig device = Example.Devices[0];
        PollGroupConfig group = device.Groups[0];
        var report = new GroupReport(
            DateTimeOffset.FromUnixTimeMilliseconds(1_795_334_127_865),
            [
                TagValue.Real(18.171303f),
                TagValue.Real(307 * 0.01),
                TagValue.Failed("timeout"),
                TagValue.OfText("B0000020"),
            ]);
        using var json = new TelemetryJson();

        string text = Encoding.UTF8.GetString(json.Format(device, group, report, 42));

        Assert.Equal(
            """{"ts":1795334127865,"seq":42,"device":"plc-1","unit":1,"group":"process","quality":"bad","values":{"temperature":18.171303,"pressure":3.07,"batch":"B0000020"},"errors":{"pump_running":"timeout"}}""",
            text);
    }

    [Fact]
    public void AValueThatCannotBeJsonBecomesAnErrorAndTheFormatterNeverThrows()
    {
        ModbusDeviceConfig device = Example.Devices[0];
        PollGroupConfig group = device.Groups[0];
        var report = new GroupReport(
            DateTimeOffset.FromUnixTimeMilliseconds(1_795_334_127_865),
            [
                TagValue.Real(double.NaN),
                TagValue.Real(double.NegativeInfinity),
                TagValue.Of(ValueCase.Boolean, 7, null),
                TagValue.OfText("B\uD800"),
            ]);
        using var json = new TelemetryJson();

        string text = Encoding.UTF8.GetString(json.Format(device, group, report, 1));

        Assert.Equal(
            """{"ts":1795334127865,"seq":1,"device":"plc-1","unit":1,"group":"process","quality":"bad","values":{"pump_running":true},"errors":{"temperature":"not-finite","pressure":"not-finite","batch":"not-text"}}""",
            text);
    }

    [Fact]
    public void AnOlderVersionsSequenceFileIsReadAsTheLastNumberOfEachStream()
    {
        using var directory = new TempDirectory();
        string path = directory.File(LegacySequenceFile.FileName, "plc-1\tprocess\t17\nplc-1\tslow\t3\n");

        IReadOnlyDictionary<string, long> last = LegacySequenceFile.Read(path, out string? problem);

        Assert.Null(problem);
        Assert.Equal(new Dictionary<string, long> { ["plc-1/process"] = 17, ["plc-1/slow"] = 3 }, last);
    }

    [Fact]
    public void ADamagedSequenceFileIsReportedWithItsLineAndWhatCameBeforeIsKept()
    {
        using var directory = new TempDirectory();
        string path = directory.File(LegacySequenceFile.FileName, "plc-1\tprocess\t17\nplc-1\tslow\tseventeen\n");

        IReadOnlyDictionary<string, long> last = LegacySequenceFile.Read(path, out string? problem);

        Assert.Equal($"{path}:2: not \"device<TAB>group<TAB>seq\"; the numbers of the groups from this line on were not imported and continue from the spool's", problem);
        Assert.Equal(new Dictionary<string, long> { ["plc-1/process"] = 17 }, last);
    }
}
