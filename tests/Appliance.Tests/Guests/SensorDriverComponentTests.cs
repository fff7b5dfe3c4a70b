using Appliance.Testing;

namespace Appliance.Tests.Guests;

/// <summary>
/// The two sensor driver guests, taken out of the published binary and checked by a second, independent
/// implementation of the component model: jco 1.10.2 (tests/jco) must accept each as a component of world
/// <c>sensor-driver</c> in wit/sensor-driver.wit (so its core imports and exports are exactly the canonical ABI
/// lowering of that world), and under Node (V8), with the three imported interfaces played by a small script, the
/// bindings jco generated must lift what the guest returns: the demonstration driver's readings and errors, and the
/// hostile driver's attempts and counters.
/// </summary>
public sealed class SensorDriverComponentTests(SensorDriverComponentTests.Components components)
    : IClassFixture<SensorDriverComponentTests.Components>
{
    public const string Demo = "sensor-driver-demo";
    public const string Attacker = "sensor-driver-attacker";

    private static string Jco => Path.Combine(Repository.Root, "tests", "jco");

    private static string JcoBinary => Path.Combine(Jco, "node_modules", ".bin", "jco");

    /// <summary>One guest: exported from the binary, made a component, and transpiled for instantiation with given imports.</summary>
    public sealed record Outcome(int ExitCode, string Stderr, string OutDir, string InstantiateDir);

    /// <summary>Both guests, each exported and made a component once for the class.</summary>
    public sealed class Components : IAsyncLifetime, IDisposable
    {
        private readonly TempDirectory _dir = new();

        public string Directory => _dir.Path;

        public Dictionary<string, Outcome> Guests { get; } = new(StringComparer.Ordinal);

        /// <summary>The script that instantiates a guest with fake imports under Node; see <see cref="RunScript"/>.</summary>
        public string Script { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Assert.True(File.Exists(JcoBinary), $"jco 1.10.2 is missing at {JcoBinary}: run scripts/setup");
            Script = _dir.File("run.mjs", RunScript);
            foreach (string guest in new[] { Demo, Attacker })
            {
                string module = Path.Combine(_dir.Path, guest + ".wasm");
                (int code, _, string stderr) = await Product.RunAsync("guest", "export", guest, module);
                Assert.True(code == 0, stderr);
                string outDir = Path.Combine(_dir.Path, guest, "component");
                (code, _, stderr) = await ChildProcess.RunAsync(
                    Path.Combine(Jco, "component"), module, Path.Combine(Repository.Root, "wit", "sensor-driver.wit"), "sensor-driver", outDir);
                string instantiateDir = Path.Combine(_dir.Path, guest, "instantiate");
                if (code == 0)
                {
                    (int transpiled, _, string transpileErr) = await ChildProcess.RunAsync(
                        JcoBinary, "transpile", Path.Combine(outDir, "component.wasm"), "-o", instantiateDir, "--name", guest, "--instantiation", "async", "--quiet");
                    Assert.True(transpiled == 0, transpileErr);
                }

                Guests[guest] = new Outcome(code, stderr, outDir, instantiateDir);
            }
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose()
        {
            _dir.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>
    /// node run.mjs DIR NAME FILES: instantiates the bindings DIR/NAME.js (jco transpile --instantiation async) with
    /// fake imports, calls init, then poll, and prints one line per event. FILES is JSON: a path of the sensor root to
    /// its text, or to {"error": FS-ERROR}; a path not in it is not-found. list-dir lists "." (["pressure"]) and
    /// denies anything else; connect accepts only "10.0.0.50:502" (handle 1) and denies anything else; send takes
    /// everything (and prints what it took: the text up to 64 bytes, else the count).
    /// </summary>
    private const string RunScript = """
        import { readFile } from 'node:fs/promises';
        import { join } from 'node:path';
        import { pathToFileURL } from 'node:url';
        const [dir, name, filesJson] = process.argv.slice(2);
        const files = JSON.parse(filesJson);
        const { instantiate } = await import(pathToFileURL(join(dir, name + '.js')).href);
        const levels = ['debug', 'info', 'warn', 'error'];
        const fail = payload => Object.assign(new Error(String(payload)), { payload });
        const say = (...words) => console.log(words.map(w => typeof w === 'string' ? w : JSON.stringify(w)).join(' '));
        const endpoints = new Map();
        const imports = {
          'ics:gateway/log': { write: (level, message) => say('log', level, JSON.stringify(message)) },
          'ics:gateway/sensor-fs': {
            readFile: (path, maxBytes) => {
              say('read-file', JSON.stringify(path), maxBytes);
              const file = files[path];
              if (file === undefined) throw fail('not-found');
              if (typeof file === 'object') throw fail(file.error);
              return new TextEncoder().encode(file);
            },
            listDir: path => {
              say('list-dir', JSON.stringify(path));
              if (path === '.') return ['pressure'];
              throw fail('denied');
            },
          },
          'ics:gateway/sensor-net': {
            connect: endpoint => {
              if (endpoint !== '10.0.0.50:502') throw fail('denied');
              endpoints.set(1, endpoint);
              return 1;
            },
            send: (handle, data) => {
              say('send', JSON.stringify(endpoints.get(handle)), data.length > 64 ? `${data.length} bytes` : JSON.stringify(new TextDecoder().decode(data)));
              return data.length;
            },
            receive: () => new Uint8Array(),
            close: handle => say('close', handle),
          },
        };
        const guest = await instantiate(async file => WebAssembly.compile(await readFile(join(dir, file))), imports);
        for (const call of ['init', 'poll']) {
          try {
            say(call, 'ok', JSON.stringify(guest.driver[call]() ?? null));
          } catch (e) {
            if (!('payload' in e)) { say('trap', String(e)); process.exit(1); }
            say(call, 'err', JSON.stringify(e.payload));
          }
        }
        """;

    private readonly Components _components = components;

    [Theory]
    [InlineData(Demo)]
    [InlineData(Attacker)]
    public void JcoAcceptsTheGuestAsAComponentOfWorldSensorDriver(string guest)
    {
        Outcome outcome = _components.Guests[guest];
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.True(File.Exists(Path.Combine(outcome.OutDir, "component.wasm")));
        Assert.True(File.Exists(Path.Combine(outcome.OutDir, guest + ".js")));
    }

    [Fact]
    public async Task JcoRefusesAModuleThatIsNotASensorDriver()
    {
        string parser = Path.Combine(_components.Directory, "modbus-parser.wasm");
        Assert.Equal(0, (await Product.RunAsync("guest", "export", "modbus-parser", parser)).ExitCode);

        (int code, _, string stderr) = await ChildProcess.RunAsync(
            Path.Combine(Jco, "component"), parser, Path.Combine(Repository.Root, "wit", "sensor-driver.wit"), "sensor-driver",
            Path.Combine(_components.Directory, "parser-component"));

        Assert.Equal(1, code);
        Assert.Contains("jco new refused", stderr, StringComparison.Ordinal);
    }

    private async Task<string> RunAsync(string guest, string files)
    {
        Outcome outcome = _components.Guests[guest];
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        (int code, string stdout, string stderr) = await ChildProcess.RunAsync("node", _components.Script, outcome.InstantiateDir, guest, files);
        Assert.True(code == 0, $"{stdout}\n{stderr}");
        return stdout;
    }

    /// <summary>Rows: the sensor root's files (JSON, see <see cref="RunScript"/>), the line poll prints.</summary>
    public static TheoryData<string, string> DemoCases() => new()
    {
        { """{"pressure":"4.25\n"}""", """poll ok [{"name":"pressure","value":4.25,"unit":"bar"}]""" },
        {
            """{"pressure":" -0.5 ","temperature":"21\n"}""",
            """poll ok [{"name":"pressure","value":-0.5,"unit":"bar"},{"name":"temperature","value":21,"unit":"degC"}]"""
        },
        { """{"pressure":"12","temperature":{"error":"wrong-kind"}}""", "poll err \"temperature: wrong-kind\"" },
        { "{}", "poll err \"pressure: not-found\"" },
        { """{"pressure":{"error":"denied"}}""", "poll err \"pressure: denied\"" },
        { """{"pressure":"4,25"}""", "poll err \"pressure: not a number\"" },
        { """{"pressure":"0x10"}""", "poll err \"pressure: not a number\"" },
    };

    [Theory]
    [MemberData(nameof(DemoCases))]
    public async Task TheDemoDriverReportsItsFilesAsReadingsOrTheirError(string files, string expected)
    {
        string stdout = await RunAsync(Demo, files);

        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("log info \"sensor-driver-demo ready\"", lines[0]);
        Assert.Equal("init ok null", lines[1]);
        Assert.Equal("read-file \"pressure\" 64", lines[2]);
        Assert.Equal(expected, lines[^1]);
    }

    [Fact]
    public async Task TheAttackerTriesItsDefaultAttacksAndCountsWhatGotThrough()
    {
        string stdout = await RunAsync(Attacker, """{"pressure":"4.25\n","link-in":"inside"}""");

        Assert.Contains("init ok null\n", stdout, StringComparison.Ordinal);
        // Without an attacks file: exfil, paths, huge. Only the allowlisted endpoint connects; the payload is the file.
        Assert.Contains("read-file \"attacks\" ", stdout, StringComparison.Ordinal);
        Assert.Contains("send \"10.0.0.50:502\" \"pressure=4.25\\n\"\nclose 1\nlog warn \"exfil 10.0.0.50:502: sent\"\n", stdout, StringComparison.Ordinal);
        Assert.Contains("log warn \"exfil 10.0.0.66:443: denied\"\n", stdout, StringComparison.Ordinal);
        Assert.Contains("log warn \"exfil 10.0.0.50:502\\n10.0.0.66:443: denied\"\n", stdout, StringComparison.Ordinal);
        Assert.Contains("log warn \"path ../secret: not-found\"\n", stdout, StringComparison.Ordinal);
        Assert.Contains("log warn \"path link-in: ok 6 bytes\"\n", stdout, StringComparison.Ordinal);
        Assert.Contains("log warn \"dir /: denied\"\n", stdout, StringComparison.Ordinal);
        Assert.Contains("log warn \"dir .: ok 1 names\"\n", stdout, StringComparison.Ordinal);
        Assert.Contains("read-file \"big\" 4294967295\n", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("flood", stdout, StringComparison.Ordinal);
        Assert.EndsWith(
            """poll ok [{"name":"pressure","value":4.25,"unit":"bar"},{"name":"exfil_attempts","value":13,"unit":""},""" +
            """{"name":"exfil_sent","value":1,"unit":""},{"name":"paths_read","value":2,"unit":""}]""" + "\n",
            stdout,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAttackerFloodsOnlyWhenItsAttacksFileSaysSo()
    {
        string stdout = await RunAsync(Attacker, """{"attacks":"flood\nnonsense\n"}""");

        Assert.Contains("log warn \"flood 10.0.0.50:502: 4096000 bytes sent in 1000 sends\"\n", stdout, StringComparison.Ordinal);
        Assert.Contains("log info \"flood log line 1000 of 1000\"\n", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("log warn \"exfil ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("read-file \"big\"", stdout, StringComparison.Ordinal);
        Assert.EndsWith(
            """poll ok [{"name":"pressure","value":0,"unit":"bar"},{"name":"exfil_attempts","value":0,"unit":""},""" +
            """{"name":"exfil_sent","value":0,"unit":""},{"name":"paths_read","value":0,"unit":""}]""" + "\n",
            stdout,
            StringComparison.Ordinal);
    }
}
