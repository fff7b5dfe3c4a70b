using System.Globalization;
using System.Text.RegularExpressions;
using Appliance.Testing;

namespace Appliance.Tests.Cli;

/// <summary>
/// <c>appliance plc-sim</c> through the published binary, read by a third-party client: mbpoll (libmodbus).
/// Expected values come from <c>appliance plc-sim map</c>, which lists every tag's registers at a step.
/// mbpoll numbers registers from 1 unless given <c>-0</c>: its reference 1 is protocol address 0.
/// </summary>
public sealed partial class PlcSimTests : IDisposable
{
    private const int SigInt = 2;
    private const int SigTerm = 15;
    private const string Mbpoll = "/usr/bin/mbpoll";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData]
    [InlineData("--listen", "127.0.0.1")]
    [InlineData("--listen", "localhost:5020")]
    [InlineData("--listen", "127.1:5020")]
    [InlineData("--listen", "::1:5020")]
    [InlineData("--listen", "127.0.0.1:70000")]
    [InlineData("--listen", "127.0.0.1:5020", "--attack-rate", "1.5")]
    [InlineData("--listen", "127.0.0.1:5020", "--attack-rate", "-0.1")]
    [InlineData("--listen", "127.0.0.1:5020", "--step", "0ms")]
    [InlineData("--listen", "127.0.0.1:5020", "--step", "100")]
    [InlineData("--listen", "127.0.0.1:5020", "--attacks", "drip-feed,teleport")]
    [InlineData("--listen", "127.0.0.1:5020", "--seed", "seven")]
    [InlineData("--listen", "127.0.0.1:5020", "--frobnicate")]
    [InlineData("map", "--count", "0")]
    [InlineData("map", "extra")]
    public async Task AWrongCommandLineExitsTwoWithAMessageOnStderr(params string[] arguments)
    {
        (int code, string stdout, string stderr) = await Product.RunAsync(["plc-sim", .. arguments]);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("appliance: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("listening", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheUsageNamesTheVerb()
    {
        (int code, string stdout, _) = await Product.RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("appliance plc-sim --listen ADDRESS:PORT", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadConfigurationStopsTheSimulatorBeforeItListens()
    {
        string file = _dir.File("appliance.toml", "[[device]]\nname = \"plc-1\"\nhost = \"127.0.0.1\"\nmax_gap = 500\n");

        (int code, _, string stderr) = await Product.RunAsync("plc-sim", "--listen", "127.0.0.1:0", "--config", file);

        Assert.Equal(2, code);
        Assert.Contains($"{file}:4:", stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was started", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MbpollReadsExactlyTheRegistersTheMapListsInBothAreasAndEveryNumberFormat()
    {
        int port = FreePort.Next();
        using ChildProcess simulator = StartSimulator(port, "--step", "1h");
        Dictionary<(string Area, int Address), ushort> expected = await RegistersAtAsync(0);

        // One-based references (mbpoll's default): reference 1 is protocol address 0, the example's temperature.
        Dictionary<int, string> example = await MbpollAsync(port, "-t", "4:hex", "-r", "1", "-c", "8");
        for (int address = 0; address < 8; address++)
        {
            Assert.Equal($"0x{expected[("holding", address)]:X4}", example[address + 1]);
        }

        // Zero-based (-0), the documented block at 100, holding and input.
        foreach ((string table, string area) in new[] { ("4:hex", "holding"), ("3:hex", "input") })
        {
            Dictionary<int, string> block = await MbpollAsync(port, "-0", "-t", table, "-r", "100", "-c", "58");
            for (int address = 100; address < 158; address++)
            {
                Assert.Equal($"0x{expected.GetValueOrDefault((area, address)):X4}", block[address]);
            }
        }

        List<MapLine> map = await MapAsync(0, 1);
        double Value(string area, string name) => double.Parse(map.Single(line => line.Area == area && line.Name == name).Value, CultureInfo.InvariantCulture);

        // 32-bit integers and floats: -B is big-endian word order (ABCD); without it mbpoll takes the low word first (CDAB).
        Assert.Equal(Value("holding", "counter_abcd"), Number((await MbpollAsync(port, "-0", "-t", "4:int", "-B", "-r", "100", "-c", "1"))[100]));
        Assert.Equal(Value("holding", "counter_cdab"), Number((await MbpollAsync(port, "-0", "-t", "4:int", "-r", "102", "-c", "1"))[102]));
        AssertFloat(Value("holding", "level_abcd"), (await MbpollAsync(port, "-0", "-t", "4:float", "-B", "-r", "108", "-c", "1"))[108]);
        AssertFloat(Value("holding", "level_cdab"), (await MbpollAsync(port, "-0", "-t", "4:float", "-r", "110", "-c", "1"))[110]);
        AssertFloat(Value("input", "temperature"), (await MbpollAsync(port, "-0", "-t", "3:float", "-B", "-r", "0", "-c", "1"))[0]);

        // 16-bit decimal: mbpoll prints a register from 0x8000 up as unsigned, with the signed reading in brackets.
        Dictionary<int, string> sixteen = await MbpollAsync(port, "-0", "-t", "4", "-r", "116", "-c", "2");
        Assert.Equal(Value("holding", "int16"), SignedRegister(sixteen[116]));
        Assert.Equal(Value("holding", "uint16"), Number(sixteen[117]));
    }

    [Fact]
    public async Task WhileTheStepAdvancesEachReadIsOneSnapshotOfSomeStep()
    {
        int port = FreePort.Next();
        long started = Environment.TickCount64;
        using ChildProcess simulator = StartSimulator(port, "--step", "20ms");
        var pairs = new List<(double Int16, double UInt16)>();
        for (int i = 0; i < 3; i++)
        {
            Dictionary<int, string> read = await MbpollAsync(port, "-0", "-t", "4", "-r", "116", "-c", "2");
            pairs.Add((SignedRegister(read[116]), Number(read[117])));
        }

        int steps = (int)((Environment.TickCount64 - started) / 20) + 50;
        List<MapLine> map = await MapAsync(0, steps);
        var byStep = map.Where(line => line.Area == "holding" && line.Name is "int16" or "uint16")
            .GroupBy(line => line.Step)
            .ToDictionary(group => group.Key, group => (Int16: Number(group.Single(line => line.Name == "int16").Value), UInt16: Number(group.Single(line => line.Name == "uint16").Value)));

        foreach ((double int16, double uint16) in pairs)
        {
            Assert.Contains(byStep.Values, values => values.Int16 == int16 && values.UInt16 == uint16);
        }
    }

    [Theory]
    [InlineData(SigTerm)]
    [InlineData(SigInt)]
    public async Task ASignalStopsTheSimulatorWhichThenPrintsItsCountersPerAttack(int signal)
    {
        int port = FreePort.Next();
        using ChildProcess simulator = StartSimulator(port, "--attack-rate", "1", "--attacks", "split-frame", "--seed", "7", "--step", "1h");

        // A split frame is valid: libmodbus must assemble it, and it gets the right values.
        Dictionary<string, string> expected = (await MapAsync(0, 1)).Where(line => line.Area == "holding" && line.Address == 2).ToDictionary(line => line.Name, line => line.Value);
        for (int i = 0; i < 3; i++)
        {
            Dictionary<int, string> read = await MbpollAsync(port, "-0", "-t", "4", "-r", "2", "-c", "1");
            Assert.Equal(Number(expected["pressure"]), SignedRegister(read[2]));
        }

        simulator.Signal(signal);
        int code = await simulator.WaitForExitAsync();

        Assert.Equal(0, code);
        Assert.Contains("plc-sim: 3 requests on 3 connections: 0 valid replies (0 exceptions), 3 attacks", simulator.Stdout, StringComparison.Ordinal);
        Dictionary<string, long> counters = Counters(simulator.Stdout);
        Assert.Equal(18, counters.Count);
        Assert.Equal(3, counters["split-frame"]);
        Assert.Equal(0, counters.Where(pair => pair.Key != "split-frame").Sum(pair => pair.Value));
    }

    [Fact]
    public async Task InAttackModeTheCountersAddUpToTheAttacksSent()
    {
        int port = FreePort.Next();
        using ChildProcess simulator = StartSimulator(port, "--attack-rate", "0.5", "--seed", "3", "--drip-delay", "20ms");
        for (int i = 0; i < 8; i++)
        {
            await ChildProcess.RunAsync(Mbpoll, "-m", "tcp", "-a", "1", "-0", "-r", "0", "-c", "8", "-t", "4", "-o", "0.3", "-p", Port(port), "-1", "127.0.0.1");
        }

        simulator.Signal(SigTerm);
        Assert.Equal(0, await simulator.WaitForExitAsync());

        Match summary = SummaryLine().Match(simulator.Stdout);
        Assert.True(summary.Success, simulator.Stdout);
        long requests = long.Parse(summary.Groups["requests"].Value, CultureInfo.InvariantCulture);
        long valid = long.Parse(summary.Groups["valid"].Value, CultureInfo.InvariantCulture);
        long attacks = long.Parse(summary.Groups["attacks"].Value, CultureInfo.InvariantCulture);
        Assert.True(requests >= 8, simulator.Stdout);
        Assert.Equal(requests, valid + attacks);
        Assert.Equal(attacks, Counters(simulator.Stdout).Values.Sum());
    }

    [Fact]
    public async Task TheSimulatorServesTheTagsOfAConfigurationFile()
    {
        string file = _dir.File("appliance.toml", """
            [[device]]
            name = "plc-1"
            host = "127.0.0.1"
            [[device.group]]
            name = "g"
            registers = "input"
            [[device.group.tag]]
            name = "flow"
            address = 40
            type = "float32"
            order = "CDAB"
            """);
        int port = FreePort.Next();
        using ChildProcess simulator = StartSimulator(port, "--config", file, "--step", "1h");

        List<MapLine> map = (await Product.RunAsync("plc-sim", "map", "--config", file)).Stdout.Split('\n').Where(line => line.Length > 0 && line[0] != '#').Select(MapLine.Parse).ToList();
        MapLine flow = Assert.Single(map);
        Dictionary<int, string> read = await MbpollAsync(port, "-0", "-t", "3:float", "-r", "40", "-c", "1");

        Assert.Equal(("input", 40, "flow", "CDAB"), (flow.Area, flow.Address, flow.Name, flow.Order));
        AssertFloat(double.Parse(flow.Value, CultureInfo.InvariantCulture), read[40]);
    }

    private static ChildProcess StartSimulator(int port, params string[] options)
    {
        ChildProcess simulator = ChildProcess.Start(Product.Binary, ["plc-sim", "--listen", $"127.0.0.1:{Port(port)}", .. options]);
        simulator.WaitForStderrLine($"plc-sim listening on 127.0.0.1:{Port(port)}");
        return simulator;
    }

    /// <summary>Runs mbpoll once against the simulator and returns its values by reference number.</summary>
    private static async Task<Dictionary<int, string>> MbpollAsync(int port, params string[] options)
    {
        (int code, string stdout, string stderr) = await ChildProcess.RunAsync(Mbpoll, ["-m", "tcp", "-a", "1", "-p", Port(port), "-1", .. options, "127.0.0.1"]);
        Assert.True(code == 0, $"mbpoll failed ({code}): {stdout}\n{stderr}");
        var values = new Dictionary<int, string>();
        foreach (Match match in MbpollValue().Matches(stdout))
        {
            values[int.Parse(match.Groups["reference"].Value, CultureInfo.InvariantCulture)] = match.Groups["value"].Value.Trim();
        }

        Assert.NotEmpty(values);
        return values;
    }

    private static async Task<List<MapLine>> MapAsync(int from, int count)
    {
        (int code, string stdout, string stderr) = await Product.RunAsync("plc-sim", "map", "--from", $"{from}", "--count", $"{count}");
        Assert.True(code == 0, stderr);
        return [.. stdout.Split('\n').Where(line => line.Length > 0 && line[0] != '#').Select(MapLine.Parse)];
    }

    /// <summary>Every register of the default map at <paramref name="step"/>; bit tags that share a register are ORed.</summary>
    private static async Task<Dictionary<(string Area, int Address), ushort>> RegistersAtAsync(int step)
    {
        var registers = new Dictionary<(string, int), ushort>();
        foreach (MapLine line in await MapAsync(step, 1))
        {
            for (int i = 0; i < line.Registers.Length; i++)
            {
                (string, int) key = (line.Area, line.Address + i);
                registers[key] = (ushort)(registers.GetValueOrDefault(key) | line.Registers[i]);
            }
        }

        return registers;
    }

    private static Dictionary<string, long> Counters(string stdout) =>
        CounterLine().Matches(stdout).ToDictionary(match => match.Groups["kind"].Value, match => long.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture));

    private static double Number(string text) => double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>mbpoll's 16-bit reading as a signed value: "48700 (-16836)" is -16836.</summary>
    private static double SignedRegister(string text)
    {
        Match signed = Regex.Match(text, @"\((?<signed>-?\d+)\)");
        return signed.Success ? double.Parse(signed.Groups["signed"].Value, CultureInfo.InvariantCulture) : Number(text);
    }

    /// <summary>mbpoll prints floats with six significant digits.</summary>
    private static void AssertFloat(double expected, string printed)
    {
        double value = double.Parse(printed, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(value - expected) <= Math.Abs(expected) * 1e-5, $"mbpoll printed {printed}, the map says {expected}");
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\[(?<reference>\d+)\]:\s+(?<value>.+)$", RegexOptions.Multiline)]
    private static partial Regex MbpollValue();

    [GeneratedRegex(@"^  (?<kind>[a-z-]+) +(?<count>\d+)$", RegexOptions.Multiline)]
    private static partial Regex CounterLine();

    [GeneratedRegex(@"plc-sim: (?<requests>\d+) requests on \d+ connections?: (?<valid>\d+) valid replies \(\d+ exceptions\), (?<attacks>\d+) attacks")]
    private static partial Regex SummaryLine();

    /// <summary>One line of <c>plc-sim map</c>: step, area, address, name, type, order, value, registers in hex.</summary>
    private sealed record MapLine(long Step, string Area, int Address, string Name, string Type, string Order, string Value, ushort[] Registers)
    {
        public static MapLine Parse(string line)
        {
            string[] fields = line.Split('\t');
            return new MapLine(
                long.Parse(fields[0], CultureInfo.InvariantCulture),
                fields[1],
                int.Parse(fields[2], CultureInfo.InvariantCulture),
                fields[3],
                fields[4],
                fields[5],
                fields[6],
                [.. fields[7].Split(' ').Select(word => ushort.Parse(word, NumberStyles.HexNumber, CultureInfo.InvariantCulture))]);
        }
    }
}
