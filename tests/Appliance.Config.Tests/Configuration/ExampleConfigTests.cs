using System.Text;
using System.Text.RegularExpressions;
using Appliance.Config.Binding;
using Appliance.Config.Document;

namespace Appliance.Config.Tests.Configuration;

/// <summary>The shipped example is valid, shows every setting the binder knows, and shows the real defaults.</summary>
public sealed class ExampleConfigTests
{
    [Fact]
    public void TheExampleIsAValidConfiguration()
    {
        ConfigLoadResult result = ConfigLoader.Parse(ExampleConfig.Utf8, "example.toml", "/etc/appliance");

        Assert.Empty(result.Errors);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void EveryKeyTheBinderReadsIsWrittenInTheExample()
    {
        var errors = new ConfigErrors("example.toml");
        Assert.True(DocumentReader.TryRead(ExampleConfig.Utf8, "example.toml", out DocumentTable? document, out _));
        var asked = new List<string>();
        ConfigBinder.Bind(document, errors, "example.toml", "/etc", section => asked.AddRange(section.KnownKeys.Select(section.Name)));

        string text = ExampleConfig.Text;
        Assert.NotEmpty(asked);
        foreach (string key in asked.Distinct())
        {
            string leaf = key[(key.LastIndexOf('.') + 1)..];
            // A list of tables that is empty by default ([[driver]]) is shown commented out, with its keys.
            bool written = Regex.IsMatch(text, $@"(?m)^{Regex.Escape(leaf)} = ") || Regex.IsMatch(text, $@"(?m)^(# )?\[+{Regex.Escape(key)}\]+$");
            Assert.True(written, $"the example does not show the setting {key}");
        }
    }

    [Fact]
    public void TheExampleShowsTheSameDefaultsAsAnEmptyFile()
    {
        ApplianceConfig fromExample = Load(ExampleConfig.Utf8);
        ApplianceConfig fromEmpty = Load([]);

        Assert.Equal(fromEmpty.Node, fromExample.Node);
        Assert.Equal(fromEmpty.Telemetry, fromExample.Telemetry);
        Assert.Equal(fromEmpty.Mqtt, fromExample.Mqtt);
        Assert.Equal(fromEmpty.Spool, fromExample.Spool);
        Assert.Equal(fromEmpty.Tmr, fromExample.Tmr);
        Assert.Equal(fromEmpty.Tmr.FaultInjection, fromExample.Tmr.FaultInjection);
        Assert.False(fromExample.Tmr.FaultInjection.Enabled);
    }

    [Fact]
    public void TheExampleDeviceKeepsTheDeviceDefaults()
    {
        ModbusDeviceConfig example = Load(ExampleConfig.Utf8).Devices.Single();
        ModbusDeviceConfig minimal = Load("""
            [[device]]
            name = "plc-1"
            host = "127.0.0.1"
            port = 5020
            [[device.group]]
            name = "process"
            [[device.group.tag]]
            name = "t"
            address = 0
            """u8).Devices.Single();

        Assert.Equal(minimal with { Groups = [] }, example with { Groups = [] });
        Assert.Equal(minimal.Groups[0] with { Tags = [] }, example.Groups[0] with { Tags = [] });
    }

    private static ApplianceConfig Load(ReadOnlySpan<byte> text)
    {
        ConfigLoadResult result = ConfigLoader.Parse(text, "test.toml", "/etc/appliance");
        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        return result.Config;
    }

    private static ApplianceConfig Load(byte[] text) => Load(text.AsSpan());

    private static ApplianceConfig Load(string text) => Load(Encoding.UTF8.GetBytes(text));
}
