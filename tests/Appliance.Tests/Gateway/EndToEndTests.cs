using System.Globalization;
using System.Text.Json;
using Appliance.Testing;

namespace Appliance.Tests.Gateway;

/// <summary>
/// The published binary between real third-party peers: a pymodbus 3.0 server as the PLC, mosquitto as the
/// broker (plain, or TLS with an openssl-made CA), mosquitto_sub as the consumer. The payloads must carry the PLC's registers decoded with the
/// configured types and byte orders, and an exception reply must arrive as a bad group with its reason.
/// </summary>
public sealed class EndToEndTests(TestCertificates pki) : IClassFixture<TestCertificates>
{
    private readonly TestCertificates _pki = pki;

    // The pymodbus peer's registers (tests/Appliance.Modbus.Tests/peers/pymodbus_server.py).
    //   holding 0..9: 1234 ABCD 0000 FFFF 8000 7FFF 0102 0304 0506 0708    input 0..3: 4948 2B00 BEEF 0001
    private const string Tags = """
        [[device.group]]
        name = "holding"
        interval = "200ms"
        registers = "holding"
        tag = [
          { name = "u16", address = 0, type = "uint16" },
          { name = "i32", address = 0, type = "int32" },
          { name = "u32_cdab", address = 0, type = "uint32", order = "CDAB" },
          { name = "i16", address = 1, type = "int16" },
          { name = "i16_ba", address = 1, type = "int16", order = "BA" },
          { name = "minus_one", address = 3, type = "int16" },
          { name = "scaled", address = 4, type = "int16", scale = 0.5, offset = 1.0 },
          { name = "bit14", address = 5, type = "bit", bit = 14 },
          { name = "bit15", address = 5, type = "bit", bit = 15 },
          { name = "u64", address = 6, type = "uint64" },
          { name = "i64_le", address = 6, type = "int64", order = "HGFEDCBA" },
          { name = "f32", address = 6, type = "float32" },
          { name = "f64_badc", address = 6, type = "float64", order = "BADCFEHG" },
        ]

        [[device.group]]
        name = "input"
        interval = "200ms"
        registers = "input"
        tag = [
          { name = "text", address = 0, type = "string", length = 2 },
          { name = "u16_ba", address = 2, type = "uint16", order = "BA" },
          { name = "f32_cdab", address = 2, type = "float32", order = "CDAB" },
        ]

        [[device.group]]
        name = "missing"
        interval = "200ms"
        registers = "input"
        tag = [ { name = "past_the_end", address = 4, type = "uint16" } ]
        """;

    /// <summary>
    /// The x86-64 build over plain TCP, and the Raspberry Pi 4 build (arm64, under qemu-aarch64) over mutual TLS: both must
    /// publish exactly the same values, so a float or byte-order difference between the architectures fails here.
    /// </summary>
    [Theory]
    [InlineData("linux-x64", false)]
    [InlineData("linux-arm64", true)]
    public async Task PayloadsSeenByMosquittoSubCarryThePymodbusRegistersDecodedAsConfigured(string runtimeId, bool tls)
    {
        ProductBinary product = Product.Of(runtimeId);
        using var directory = new TempDirectory();
        int plcPort = FreePort.Next();
        int plainPort = FreePort.Next();
        using ChildProcess plc = ChildProcess.Start("/usr/bin/python3", [Path.Combine(Repository.Root, "tests/Appliance.Modbus.Tests/peers/pymodbus_server.py"), "--port", plcPort.ToString(CultureInfo.InvariantCulture)]);
        plc.WaitForStdoutLine("ready");
        using Mosquitto broker = tls
            ? Mosquitto.Start([$"cafile {_pki.CaFile}", $"certfile {_pki.ServerCertFile}", $"keyfile {_pki.ServerKeyFile}", "require_certificate true", $"listener {plainPort} 127.0.0.1"])
            : Mosquitto.Start(port: plainPort);
        string mqtt = tls
            ? $"""
                [mqtt]
                broker = "mqtts://127.0.0.1:{broker.Port}"
                qos = 1

                [mqtt.tls]
                ca_file = "{_pki.CaFile}"
                cert_file = "{_pki.ClientCertFile}"
                key_file = "{_pki.ClientKeyFile}"
                """
            : $"""
                [mqtt]
                broker = "mqtt://127.0.0.1:{broker.Port}"
                qos = 1
                """;
        string config = directory.File("appliance.toml", $"""
            [node]
            id = "e2e"

            [[device]]
            name = "pymodbus"
            host = "127.0.0.1"
            port = {plcPort}
            unit_id = 1

            {Tags}

            {mqtt}

            [spool]
            path = "{Path.Combine(directory.Path, "spool.db")}"
            """);
        using ChildProcess subscriber = ChildProcess.Start("mosquitto_sub", ["-p", plainPort.ToString(CultureInfo.InvariantCulture), "-v", "-t", "appliance/e2e/pymodbus/+"]);
        using ChildProcess gateway = product.Start("run", "--config", config);

        var latest = new Dictionary<string, JsonElement>();
        var sequences = new Dictionary<string, List<long>>();
        while (latest.Count < 3 || sequences.Values.Any(list => list.Count < 3))
        {
            string line = subscriber.ReadStdoutLine() ?? throw new InvalidOperationException("mosquitto_sub ended");
            string[] parts = line.Split(' ', 2);
            string group = parts[0]["appliance/e2e/pymodbus/".Length..];
            JsonElement message = JsonDocument.Parse(parts[1]).RootElement.Clone();
            latest[group] = message;
            (sequences.TryGetValue(group, out List<long>? list) ? list : sequences[group] = []).Add(message.GetProperty("seq").GetInt64());
        }

        gateway.Signal(15);
        Assert.Equal(0, await gateway.WaitForExitAsync());

        // The retained health message names the voting lanes, with their counters.
        using ChildProcess healthReader = ChildProcess.Start("mosquitto_sub", ["-p", plainPort.ToString(CultureInfo.InvariantCulture), "-C", "1", "-W", "20", "-t", "appliance/e2e/status/health"]);
        JsonElement health = JsonDocument.Parse(healthReader.ReadStdoutLine() ?? throw new InvalidOperationException("no retained health message")).RootElement.Clone();
        JsonElement[] lanes = [.. health.GetProperty("lanes").EnumerateArray()];
        Assert.Equal(["wasmtime:modbus-parser", "interpreter:modbus-parser", "wasmtime:modbus-parser-c"], lanes.Select(lane => lane.GetProperty("lane").GetString()));
        Assert.All(lanes, lane => Assert.Equal(0, lane.GetProperty("disagreements").GetInt64()));

        JsonElement holding = latest["holding"];
        Assert.Equal(("good", "pymodbus", 1, "holding"), (holding.GetProperty("quality").GetString(), holding.GetProperty("device").GetString(), holding.GetProperty("unit").GetInt32(), holding.GetProperty("group").GetString()));
        JsonElement values = holding.GetProperty("values");
        Assert.Equal(4660, values.GetProperty("u16").GetInt64());
        Assert.Equal(0x1234ABCD, values.GetProperty("i32").GetInt64());
        Assert.Equal(0xABCD1234, values.GetProperty("u32_cdab").GetInt64());
        Assert.Equal(-21555, values.GetProperty("i16").GetInt64());
        Assert.Equal(-12885, values.GetProperty("i16_ba").GetInt64());
        Assert.Equal(-1, values.GetProperty("minus_one").GetInt64());
        Assert.Equal(-16383.0, values.GetProperty("scaled").GetDouble());
        Assert.True(values.GetProperty("bit14").GetBoolean());
        Assert.False(values.GetProperty("bit15").GetBoolean());
        Assert.Equal(0x0102030405060708UL, values.GetProperty("u64").GetUInt64());
        Assert.Equal(0x0807060504030201L, values.GetProperty("i64_le").GetInt64());
        Assert.Equal(BitConverter.Int32BitsToSingle(0x01020304), values.GetProperty("f32").GetSingle());
        Assert.Equal(BitConverter.Int64BitsToDouble(0x0201040306050807), values.GetProperty("f64_badc").GetDouble());
        Assert.Empty(holding.GetProperty("errors").EnumerateObject());

        JsonElement input = latest["input"];
        Assert.Equal("good", input.GetProperty("quality").GetString());
        Assert.Equal("IH+", input.GetProperty("values").GetProperty("text").GetString());
        Assert.Equal(0xEFBE, input.GetProperty("values").GetProperty("u16_ba").GetInt64());
        Assert.Equal(BitConverter.Int32BitsToSingle(0x0001BEEF), input.GetProperty("values").GetProperty("f32_cdab").GetSingle());

        JsonElement missing = latest["missing"];
        Assert.Equal("bad", missing.GetProperty("quality").GetString());
        Assert.Equal("exception-2", missing.GetProperty("errors").GetProperty("past_the_end").GetString());

        foreach ((string group, List<long> seq) in sequences)
        {
            Assert.True(seq.Zip(seq.Skip(1)).All(pair => pair.Second == pair.First + 1), $"{group}: seq has a gap or repeats: {string.Join(",", seq)}");
        }
    }

    [Fact]
    public async Task WithConsoleTheTelemetryOfThePublishedSimulatorGoesToStandardOutput()
    {
        using var directory = new TempDirectory();
        int plcPort = FreePort.Next();
        using ChildProcess plc = ChildProcess.Start(Product.Binary, ["plc-sim", "--listen", $"127.0.0.1:{plcPort.ToString(CultureInfo.InvariantCulture)}"]);
        plc.WaitForStderrLine("listening");
        (_, string example, _) = await Product.RunAsync("config", "example");
        string config = directory.File("appliance.toml", example
            .ReplaceExactly("port = 5020", $"port = {plcPort.ToString(CultureInfo.InvariantCulture)}")
            .ReplaceExactly("interval = \"1s\"", "interval = \"100ms\"")
            .ReplaceExactly("/var/lib/appliance/spool.db", Path.Combine(directory.Path, "spool.db")));
        using ChildProcess gateway = ChildProcess.Start(Product.Binary, ["run", "--config", config, "--console"]);

        string line = gateway.WaitForStdoutLine("\"seq\":3,");
        gateway.Signal(15);

        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.StartsWith("appliance/gateway-01/plc-1/process {", line, StringComparison.Ordinal);
        JsonElement message = JsonDocument.Parse(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]).RootElement;
        Assert.Equal("good", message.GetProperty("quality").GetString());
        Assert.Equal(4, message.GetProperty("values").EnumerateObject().Count());
    }
}
