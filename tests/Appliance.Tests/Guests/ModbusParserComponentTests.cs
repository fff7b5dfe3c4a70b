using Appliance.Testing;

namespace Appliance.Tests.Guests;

/// <summary>
/// A parser guest, taken out of the published binary, checked by a second, independent implementation of the
/// component model: jco 1.10.2 (tests/jco) must accept it as a component of world <c>modbus-sandbox</c> in
/// wit/modbus-parser.wit, and its transpiled bindings under Node (V8) must lift the expected outcomes, printed by
/// tests/jco/decode.mjs as the canonical bytes the host compares. Every parser guest passes the same rows
/// (<see cref="RustModbusParserComponentTests"/>, <see cref="CModbusParserComponentTests"/>).
/// </summary>
public abstract class ModbusParserComponentTests
{
    private readonly Component _component;

    protected ModbusParserComponentTests(Component component) => _component = component;

    /// <summary>The guest exported from the binary and made a component once for the class.</summary>
    public abstract class Component : IAsyncLifetime, IDisposable
    {
        private readonly TempDirectory _dir = new();

        protected Component(string guest) => Guest = guest;

        /// <summary>The guest's name in the binary (<c>appliance guest list</c>), also its bindings' name.</summary>
        public string Guest { get; }

        public string Directory => _dir.Path;

        public string OutDir => Path.Combine(_dir.Path, "component");

        public int ExitCode { get; private set; }

        public string Stderr { get; private set; } = "";

        public async Task InitializeAsync()
        {
            string module = Path.Combine(_dir.Path, Guest + ".wasm");
            (int code, _, string stderr) = await Product.RunAsync("guest", "export", Guest, module);
            Assert.True(code == 0, stderr);
            (ExitCode, _, Stderr) = await RunComponentAsync(module, "modbus-sandbox", OutDir);
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose()
        {
            _dir.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    private static string Jco => Path.Combine(Repository.Root, "tests", "jco");

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunComponentAsync(string module, string world, string outDir)
    {
        string jco = Path.Combine(Jco, "node_modules", ".bin", "jco");
        Assert.True(File.Exists(jco), $"jco 1.10.2 is missing at {jco}: run scripts/setup");
        return ChildProcess.RunAsync(
            Path.Combine(Jco, "component"), module, Path.Combine(Repository.Root, "wit", "modbus-parser.wit"), world, outDir);
    }

    [Fact]
    public void JcoAcceptsTheGuestAsAComponentOfWorldModbusSandbox()
    {
        Assert.True(_component.ExitCode == 0, _component.Stderr);
        Assert.True(File.Exists(Path.Combine(_component.OutDir, "component.wasm")));
        Assert.True(File.Exists(Path.Combine(_component.OutDir, _component.Guest + ".js")));
    }

    [Fact]
    public async Task JcoRefusesAModuleWhoseExportsDoNotMatchTheWorld()
    {
        string hello = Path.Combine(_component.Directory, "hello.wasm");
        Assert.Equal(0, (await Product.RunAsync("guest", "export", "hello", hello)).ExitCode);

        (int code, _, string stderr) = await RunComponentAsync(hello, "modbus-sandbox", Path.Combine(_component.Directory, "hello-component"));

        Assert.Equal(1, code);
        Assert.Contains("failed to find export of interface `ics:gateway/modbus-parser@0.1.0` function `configure`", stderr, StringComparison.Ordinal);
        Assert.Contains("jco new refused", stderr, StringComparison.Ordinal);
    }

    private const string OneTag = """[{"address":100,"kind":"uint16","byteSwap":false,"wordSwap":false,"bit":0,"length":1,"scale":1,"offset":0}]""";

    /// <summary>
    /// Tags over registers 100..110, read by a request for 100..109. Expected, tag by tag (each reading:
    /// tag u32, quality u8, value case u8, payload):
    /// 0 int16 @100 = 0xFF85: signed -123;
    /// 1 uint32 CDAB @101 = 5678 1234: unsigned 0x12345678;
    /// 2 float32 ABCD @103 = 3FC0 0000: real 1.5 (f64 bits 0x3FF8000000000000);
    /// 3 bit 3 @105 = 0x0008: true;
    /// 4 text @106, 3 registers = "AB" "C\0" "\0\0": "ABC";
    /// 5 int16 @109 = 250, scale 0.5, offset 1: real 126 (0x405F800000000000);
    /// 6 uint16 @110: outside the request, no reading.
    /// </summary>
    private const string SevenTags = """
        [{"address":100,"kind":"int16","byteSwap":false,"wordSwap":false,"bit":0,"length":1,"scale":1,"offset":0},
         {"address":101,"kind":"uint32","byteSwap":false,"wordSwap":true,"bit":0,"length":2,"scale":1,"offset":0},
         {"address":103,"kind":"float32","byteSwap":false,"wordSwap":false,"bit":0,"length":2,"scale":1,"offset":0},
         {"address":105,"kind":"bit","byteSwap":false,"wordSwap":false,"bit":3,"length":1,"scale":1,"offset":0},
         {"address":106,"kind":"text","byteSwap":false,"wordSwap":false,"bit":0,"length":3,"scale":1,"offset":0},
         {"address":109,"kind":"int16","byteSwap":false,"wordSwap":false,"bit":0,"length":1,"scale":0.5,"offset":1},
         {"address":110,"kind":"uint16","byteSwap":false,"wordSwap":false,"bit":0,"length":1,"scale":1,"offset":0}]
        """;

    /// <summary>Rows: what, tags (JSON), the response ADU (hex, spaced for reading), the line decode.mjs prints.</summary>
    public static TheoryData<string, string, string, string> Cases() => new()
    {
        {
            "a valid FC3 response",
            SevenTags,
            "0001 0000 0017 01 03 14 ff85 5678 1234 3fc0 0000 0008 4142 4300 0000 00fa",
            "00 06000000" +
            " 00000000 00 01 85ffffffffffffff" +
            " 01000000 00 02 7856341200000000" +
            " 02000000 00 03 000000000000f83f" +
            " 03000000 00 00 01" +
            " 04000000 00 04 03000000 414243" +
            " 05000000 00 03 0000000000805f40"
        },
        { "an exception response with code 2", OneTag, "0001 0000 0003 01 83 02", "01 09 02000000" },
        { "protocol id 1", OneTag, "0001 0001 0003 01 83 02", "01 03 01000000" },
        { "a length field of 6 for 5 bytes", OneTag, "0001 0000 0006 01 03 02 0000", "01 05 06000000" },
        {
            "a word-swapped 16-bit tag",
            """[{"address":100,"kind":"int16","byteSwap":false,"wordSwap":true,"bit":0,"length":1,"scale":1,"offset":0}]""",
            "0001 0000 0003 01 83 02",
            "config-error 0 bad-order"
        },
        {
            "a bit tag with a scale",
            """[{"address":100,"kind":"bit","byteSwap":false,"wordSwap":false,"bit":2,"length":1,"scale":10,"offset":0}]""",
            "0001 0000 0003 01 83 02",
            "config-error 0 bad-scale"
        },
        {
            "an unscaled float32 -0.0 keeps its sign",
            """[{"address":100,"kind":"float32","byteSwap":false,"wordSwap":false,"bit":0,"length":2,"scale":1,"offset":0}]""",
            "0001 0000 0017 01 03 14 8000 0000 0000 0000 0000 0000 0000 0000 0000 0000",
            "00 01000000 00000000 00 03 0000000000000080"
        },
    };

    [Theory]
    [MemberData(nameof(Cases), MemberType = typeof(ModbusParserComponentTests))]
    public async Task DecodeUnderNodePrintsTheCanonicalOutcomeBytes(string what, string tags, string adu, string expected)
    {
        Assert.True(_component.ExitCode == 0, _component.Stderr);
        string line = $$"""
            {"tags":{{tags.ReplaceLineEndings("")}},"request":{"transaction":1,"unit":1,"function":3,"address":100,"quantity":10},"adu":"{{adu.Replace(" ", "", StringComparison.Ordinal)}}"}
            """;
        string cases = Path.Combine(_component.Directory, $"case-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(cases, line + "\n");

        (int code, string stdout, string stderr) = await ChildProcess.RunAsync(
            "bash", "-c", "exec node \"$0\" \"$1\" \"$2\" < \"$3\"", Path.Combine(Jco, "decode.mjs"), _component.OutDir, _component.Guest, cases);

        Assert.True(code == 0, $"{what}: {stderr}");
        string want = expected.StartsWith("config-error", StringComparison.Ordinal) ? expected : expected.Replace(" ", "", StringComparison.Ordinal);
        Assert.Equal(want + "\n", stdout);
    }
}
