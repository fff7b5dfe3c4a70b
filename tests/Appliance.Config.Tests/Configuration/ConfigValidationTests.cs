using System.Text;
using Appliance.Testing;

namespace Appliance.Config.Tests.Configuration;

/// <summary>
/// Each kind of mistake an engineer can make in the file gets one message, at the line and column of
/// the mistake, saying what to write instead.
/// </summary>
public sealed class ConfigValidationTests : IDisposable
{
    private const string Device = """
        [[device]]
        name = "plc"
        host = "127.0.0.1"
        [[device.group]]
        name = "g"
        [[device.group.tag]]
        name = "t"

        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "appliance-config-" + Guid.NewGuid().ToString("N"));

    public ConfigValidationTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("[mqtt]\nbrokr = \"mqtt://127.0.0.1\"\n", "2:1: unknown key \"brokr\" in [mqtt]; did you mean \"broker\"?")]
    [InlineData("[mqqt]\nqos = 1\n", "1:2: unknown section \"mqqt\" at the top level; did you mean \"mqtt\"?")]
    [InlineData("[node]\nname = \"x\"\n", "2:1: unknown key \"name\" in [node]; known keys are description, id")]
    [InlineData("[mqtt]\nqos = 2\n", "2:7: mqtt.qos must be 0 or 1, not 2")]
    [InlineData("[mqtt]\nreconnect_initial = \"10ms\"\n", "2:21: mqtt.reconnect_initial \"10ms\" must be at least 100ms")]
    [InlineData("[mqtt]\nreconnect_max = \"2h\"\n", "2:17: mqtt.reconnect_max \"2h\" must be at most 1h")]
    [InlineData("[mqtt]\nreconnect_initial = \"5s\"\nreconnect_max = \"2s\"\n", "3:17: mqtt.reconnect_max \"2s\" must not be shorter than reconnect_initial \"5s\"")]
    [InlineData("[mqtt]\nqos = \"1\"\n", "2:7: mqtt.qos must be an integer, not a string; remove the quotes around \"1\" or write it like qos = 1")]
    [InlineData("[mqtt]\nkeepalive = 30\n", "2:13: mqtt.keepalive must be a duration in quotes, not an integer; write it like keepalive = \"30s\"")]
    [InlineData("[mqtt]\nkeepalive = \"30\"\n", "2:13: mqtt.keepalive: \"30\" has no unit; write \"30s\" for seconds or \"30ms\" for milliseconds")]
    [InlineData("[mqtt]\nkeepalive = \"30 s\"\n", "2:13: mqtt.keepalive: \"30 s\" is not a duration")]
    [InlineData("[mqtt]\nprotocol = \"4\"\n", "2:12: mqtt.protocol must be one of \"5\", \"3.1.1\", not \"4\"")]
    [InlineData("[mqtt]\nbroker = \"tcp://127.0.0.1:1883\"\n", "2:10: mqtt.broker \"tcp://127.0.0.1:1883\" must start with mqtt:// or mqtts://")]
    [InlineData("[mqtt]\nbroker = \"mqtt://127.0.0.1:99999\"\n", "2:10: mqtt.broker \"mqtt://127.0.0.1:99999\" has an invalid port")]
    [InlineData("[mqtt]\npassword = \"hunter2\"\n", "2:1: \"password\" cannot be written in the configuration: secrets are never inline. Put the user name and password in a file")]
    [InlineData("[mqtt.tls]\nserver_name = \"broker\"\n", "1:2: [mqtt.tls] is set but broker \"mqtt://127.0.0.1:1883\" is plain TCP")]
    [InlineData("[mqtt]\nstatus_topic = \"a/+/status\"\n", "2:16: mqtt.status_topic \"a/+/status\" must not contain the wildcards")]
    [InlineData("[telemetry]\ntopic = \"x/{device}/{tag}\"\n", "2:9: telemetry.topic has an unknown placeholder {tag}; the placeholders here are {node}, {device}, {group}")]
    [InlineData("[spool]\nmax_size = \"12 parsecs\"\n", "2:12: spool.max_size: \"12 parsecs\" is not a size")]
    [InlineData("[spool]\nmax_size = 1024\n", "2:12: spool.max_size must be between 1MiB and 1024GiB, not 1KiB")]
    [InlineData("[tmr]\nmode = \"2of3\"\n", "2:8: tmr.mode must be one of \"2oo3\", \"1oo2\", \"1oo1\", not \"2of3\"; did you mean \"2oo3\"?")]
    [InlineData("[tmr.fault_injection]\ntrap_rate = 1.5\n", "2:13: tmr.fault_injection.trap_rate must be a finite number between 0 and 1, not 1.5")]
    [InlineData("[tmr.fault_injection]\ntrap_rate = nan\n", "2:13: tmr.fault_injection.trap_rate must be a finite number")]
    [InlineData("[node]\nid = \"plant/line 1\"\n", "2:6: node.id \"plant/line 1\" must be 1 to 64 characters of letters, digits")]
    [InlineData("[device]\nname = \"plc\"\n", "1:1: device must be a list of tables: write [[device]] with double brackets")]
    [InlineData("[[device]]\nname = \"plc\"\n", "1:1: device.host is missing; add host = ")]
    [InlineData("[[device]]\nname = \"plc\"\nhost = \"127.1\"\n", "3:8: device.host \"127.1\" is not an IPv4 address, IPv6 address or host name")]
    [InlineData("[[device]]\nname = \"plc\"\nhost = \"::1\"\nport = 0\n", "4:8: device.port must be between 1 and 65535, not 0")]
    [InlineData("[[device]]\nname = \"plc\"\nhost = \"::1\"\nbackoff_initial = \"10s\"\nbackoff_max = \"1s\"\n", "5:15: device.backoff_max \"1s\" must not be shorter than backoff_initial \"10s\"")]
    [InlineData("[time]\nntp = \"127.0.0.1\"\n", "2:7: time.ntp must be a list of strings, not a string; put it in brackets, ntp = [\"127.0.0.1\"], or write it like ntp = [\"ntp1.plant.example\", \"ntp2.plant.example\"]")]
    [InlineData("[time]\nntp = [\"127.0.0.1\", 5]\n", "2:21: time.ntp must hold only strings, not an integer")]
    [InlineData("[time]\nntp = [\"ntp.plant.example\", \"10.0.1\"]\n", "2:29: time.ntp: \"10.0.1\" is not an IPv4 address, IPv6 address or host name")]
    [InlineData("[time]\nntp = [\"ntp_1.plant\"]\n", "2:8: time.ntp: \"ntp_1.plant\" is not an IPv4 address")]
    [InlineData("[time]\nntp = [\"127.0.0.1\", \"127.0.0.1\"]\n", "2:21: time.ntp: \"127.0.0.1\" is named twice; name each server once")]
    [InlineData("[time]\nntp = [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\"]\n", "2:48: time.ntp names more than 8 servers; keep the 8 nearest")]
    [InlineData("[time]\nserver = \"127.0.0.1\"\n", "2:1: unknown key \"server\" in [time]; known keys are ntp")]
    public void AMistakeIsReportedAtItsPositionWithWhatToWrite(string text, string expected)
    {
        AssertReported(Errors(text), expected);
    }

    [Theory]
    [InlineData("interval = \"0s\"", "6:12: device.group.interval \"0s\" must be at least 10ms")]
    [InlineData("interval = \"5ms\"", "6:12: device.group.interval \"5ms\" must be at least 10ms")]
    [InlineData("registers = \"coils\"", "6:13: device.group.registers must be one of \"holding\", \"input\", not \"coils\"")]
    public void PollGroupSettingsAreChecked(string line, string expected)
    {
        string text = Device.ReplaceExactly("name = \"g\"\n", "name = \"g\"\n" + line + "\n") + "address = 0\n";

        AssertReported(Errors(text), expected);
    }

    [Theory]
    [InlineData("address = 0\ntype = \"float16\"", "9:8: device.group.tag.type must be one of \"bit\", \"int16\"")]
    [InlineData("address = 0\ntype = \"float32\"\norder = \"AB\"", "10:9: device.group.tag.order must be one of \"ABCD\", \"CDAB\", \"BADC\", \"DCBA\", not \"AB\"")]
    [InlineData("address = 0\ntype = \"float64\"\norder = \"ABCD\"", "10:9: device.group.tag.order must be one of \"ABCDEFGH\", \"GHEFCDAB\", \"BADCFEHG\", \"HGFEDCBA\", not \"ABCD\"")]
    [InlineData("address = 0\ntype = \"int16\"\nbit = 3", "10:7: device.group.tag.bit applies only to type = \"bit\"")]
    [InlineData("address = 0\ntype = \"bit\"\nbit = 16", "10:7: device.group.tag.bit must be between 0 and 15, not 16")]
    [InlineData("address = 0\ntype = \"string\"\nlength = 126", "10:10: device.group.tag.length must be between 1 and 125, not 126")]
    [InlineData("address = 0\ntype = \"string\"\nscale = 2.0", "10:9: device.group.tag.scale applies only to numeric types")]
    [InlineData("address = 65535\ntype = \"float32\"", "8:11: tag \"t\" needs 2 registers from address 65535, past the last register 65535")]
    [InlineData("address = -1", "8:11: device.group.tag.address must be between 0 and 65535, not -1")]
    [InlineData("type = \"uint16\"", "6:1: device.group.tag.address is missing for tag \"t\"; add address = <first register>")]
    public void TagSettingsAreChecked(string lines, string expected)
    {
        string text = Device + lines + "\n";

        AssertReported(Errors(text), expected);
    }

    [Fact]
    public void OneBasedAddressesAreTranslatedToProtocolAddresses()
    {
        ApplianceConfig config = Valid(Device.ReplaceExactly("host = \"127.0.0.1\"\n", "host = \"127.0.0.1\"\naddress_base = 1\n") + "address = 1\n");

        Assert.Equal(0, config.Devices[0].Groups[0].Tags[0].Address);
    }

    [Fact]
    public void AddressZeroIsRefusedWhenAddressesAreOneBased()
    {
        string text = Device.ReplaceExactly("host = \"127.0.0.1\"\n", "host = \"127.0.0.1\"\naddress_base = 1\n") + "address = 0\n";

        Assert.Contains(Errors(text), error => error.Message == "device.group.tag.address must be between 1 and 65536, not 0");
    }

    [Fact]
    public void DuplicateNamesInOneListAreRefused()
    {
        string text = Device + "address = 0\n[[device.group.tag]]\nname = \"t\"\naddress = 1\n";

        ConfigDiagnostic error = Assert.Single(Errors(text));
        Assert.Equal("10:8: tag name \"t\" is already used at line 7; names must be unique", $"{error.Line}:{error.Column}: {error.Message}");
    }

    [Fact]
    public void AGroupWithoutTagsIsRefused()
    {
        string text = "[[device]]\nname = \"plc\"\nhost = \"127.0.0.1\"\n[[device.group]]\nname = \"g\"\n";

        Assert.Contains(Errors(text), error => error.Message.StartsWith("group \"g\" has no tags", StringComparison.Ordinal));
    }

    [Fact]
    public void AGroupOfMoreTagsThanTheParserAcceptsIsRefusedAtTheFirstTagTooMany()
    {
        static string Group(int tags)
        {
            var text = new StringBuilder("[[device]]\nname = \"plc\"\nhost = \"127.0.0.1\"\n[[device.group]]\nname = \"g\"\n");
            for (int i = 0; i < tags; i++)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"[[device.group.tag]]\nname = \"t{i}\"\naddress = {1 + (i % 100)}\n");
            }

            return text.ToString();
        }

        Assert.Equal(2048, Valid(Group(2048)).Devices[0].Groups[0].Tags.Count);

        ConfigDiagnostic error = Assert.Single(Errors(Group(2049)));
        Assert.Equal(6 + (3 * 2048), error.Line); // the header of tag 2049
        Assert.Equal(
            "group \"g\" has 2049 tags; a group holds at most 2048 (what the sandboxed parser accepts), and this is tag 2049: move it and those after it into another [[device.group]]",
            error.Message);
    }

    [Fact]
    public void ATypedConfigurationCarriesEveryValueAsWritten()
    {
        string credentials = Path.Combine(_dir, "mqtt.credentials");
        File.WriteAllText(credentials, "user\npass\n");
        ApplianceConfig config = Valid($"""
            [node]
            id = "line-7"
            [[device]]
            name = "press"
            host = "plc.plant.example"
            port = 1502
            unit_id = 17
            request_timeout = "250ms"
            backoff_jitter = 0
            [[device.group]]
            name = "fast"
            interval = "1.5s"
            registers = "input"
            [[device.group.tag]]
            name = "force"
            address = 40
            type = "float64"
            order = "GHEFCDAB"
            scale = 10
            offset = -1.5
            unit = "kN"
            [mqtt]
            broker = "mqtts://[::1]"
            protocol = "3.1.1"
            credentials_file = "mqtt.credentials"
            keepalive = "2m"
            reconnect_initial = "250ms"
            reconnect_max = "10s"
            [mqtt.tls]
            server_name = "broker.plant"
            [spool]
            path = "spool/telemetry.db"
            max_size = "1GiB"
            [tmr]
            mode = "1oo2"
            """);

        Assert.Equal("line-7", config.Node.Id);
        ModbusDeviceConfig device = Assert.Single(config.Devices);
        Assert.Equal(("press", "plc.plant.example", 1502, (byte)17), (device.Name, device.Host, device.Port, device.UnitId));
        Assert.Equal(TimeSpan.FromMilliseconds(250), device.RequestTimeout);
        Assert.Equal(0.0, device.Backoff.Jitter);
        PollGroupConfig group = Assert.Single(device.Groups);
        Assert.Equal((TimeSpan.FromMilliseconds(1500), RegisterArea.Input), (group.Interval, group.Area));
        Assert.Equal(new TagConfig("force", 40, TagType.Float64, ByteOrder.WordSwapped, 0, 1, 10.0, -1.5, "kN"), Assert.Single(group.Tags));
        Assert.Equal(4, group.Tags[0].RegisterCount);
        Assert.Equal(new BrokerAddress(true, "::1", 8883), config.Mqtt.Broker);
        Assert.Equal("mqtts://[::1]:8883", config.Mqtt.Broker.ToString());
        Assert.Equal(MqttProtocol.V311, config.Mqtt.Protocol);
        Assert.Equal("line-7", config.Mqtt.ClientId);
        Assert.Equal("appliance/line-7/status", config.Mqtt.StatusTopic);
        Assert.Equal(credentials, config.Mqtt.CredentialsFile);
        Assert.Equal(TimeSpan.FromMinutes(2), config.Mqtt.KeepAlive);
        Assert.Equal((TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10)), (config.Mqtt.ReconnectInitial, config.Mqtt.ReconnectMax));
        Assert.Equal("broker.plant", config.Mqtt.Tls.ServerName);
        Assert.Equal(Path.Combine(_dir, "spool", "telemetry.db"), config.Spool.Path);
        Assert.Equal(1L << 30, config.Spool.MaxBytes);
        Assert.Equal(TmrMode.OneOutOfTwo, config.Tmr.Mode);
    }

    [Fact]
    public void AMissingCredentialsFileIsReported()
    {
        IReadOnlyList<ConfigDiagnostic> errors = Errors("[mqtt]\ncredentials_file = \"nope.txt\"\n");

        ConfigDiagnostic error = Assert.Single(errors);
        Assert.Equal($"mqtt.credentials_file: file \"{Path.Combine(_dir, "nope.txt")}\" does not exist; create it or correct the path", error.Message);
    }

    [Fact]
    public void ASyntaxErrorIsReportedWithTheFileNameAndPosition()
    {
        ConfigLoadResult result = ConfigLoader.Parse("[node]\nid = \n"u8, "plant.toml", _dir);

        ConfigDiagnostic error = Assert.Single(result.Errors);
        Assert.Equal(("plant.toml", 2, 6), (error.File, error.Line, error.Column));
        Assert.StartsWith("plant.toml:2:6: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheTimeServersAreKeptInTheirOrderAndNoneIsTheDefault()
    {
        Assert.Empty(Valid("").Time.Ntp);
        Assert.Equal(["ntp.plant.example", "127.0.0.1", "::1"], Valid("[time]\nntp = [\"ntp.plant.example\", \"127.0.0.1\", \"::1\"]\n").Time.Ntp);
    }

    [Fact]
    public void ErrorsAreListedInFileOrder()
    {
        IReadOnlyList<ConfigDiagnostic> errors = Errors("[tmr]\nfuel = 1\n[mqtt]\nqos = 5\n[node]\nid = \"\"\n");

        Assert.True(errors.Select(error => error.Line).SequenceEqual([2, 4, 6]), string.Join('\n', errors));
    }

    private static void AssertReported(IReadOnlyList<ConfigDiagnostic> errors, string expected)
    {
        string[] lines = [.. errors.Select(error => $"{error.Line}:{error.Column}: {error.Message}")];
        Assert.True(lines.Any(line => line.StartsWith(expected, StringComparison.Ordinal)), $"expected \"{expected}\"; reported:\n{string.Join('\n', lines)}");
    }

    private IReadOnlyList<ConfigDiagnostic> Errors(string text)
    {
        ConfigLoadResult result = ConfigLoader.Parse(Encoding.UTF8.GetBytes(text), "test.toml", _dir);
        Assert.False(result.IsValid, "the configuration was accepted");
        Assert.All(result.Errors, error => Assert.Equal("test.toml", error.File));
        return result.Errors;
    }

    private ApplianceConfig Valid(string text)
    {
        ConfigLoadResult result = ConfigLoader.Parse(Encoding.UTF8.GetBytes(text), "test.toml", _dir);
        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        return result.Config;
    }
}
