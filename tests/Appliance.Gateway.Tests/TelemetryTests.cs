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
                new TagValue(ValueCase.Real, BitConverter.DoubleToUInt64Bits((double)18.171303f), null, null),
                new TagValue(ValueCase.Real, BitConverter.DoubleToUInt64Bits(307 * 0.01), null, null),
                TagValue.Failed("timeout"),
                new TagValue(ValueCase.Text, 0, "B0000020", null),
            ],
            null);
        using var json = new TelemetryJson();

        string text = Encoding.UTF8.GetString(json.Format(device, group, report, 42));

        Assert.Equal(
            """{"ts":1795334127865,"seq":42,"device":"plc-1","unit":1,"group":"process","quality":"bad","values":{"temperature":18.171303,"pressure":3.07,"batch":"B0000020"},"errors":{"pump_running":"timeout"}}""",
            text);
    }

    [Fact]
    public void SequenceNumbersContinueAfterTheFileIsOpenedAgain()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "telemetry.seq");
        SequenceFile first = SequenceFile.Open(path);
        Assert.Equal(1, first.Next("plc-1", "process"));
        Assert.Equal(2, first.Next("plc-1", "process"));
        Assert.Equal(1, first.Next("plc-1", "slow"));

        SequenceFile second = SequenceFile.Open(path);

        Assert.Null(second.LoadProblem);
        Assert.Equal(3, second.Next("plc-1", "process"));
        Assert.Equal(2, second.Next("plc-1", "slow"));
        Assert.Equal(1, second.Next("plc-2", "process"));
    }

    [Fact]
    public void ADamagedSequenceFileIsReportedWithItsLineAndNumberingGoesOn()
    {
        using var directory = new TempDirectory();
        string path = directory.File("telemetry.seq", "plc-1\tprocess\t17\nplc-1\tslow\tseventeen\n");

        SequenceFile file = SequenceFile.Open(path);

        Assert.Equal($"{path}:2: not \"device<TAB>group<TAB>seq\"; sequence numbers of the groups after it restart at 1", file.LoadProblem);
        Assert.Equal(18, file.Next("plc-1", "process"));
    }
}
