using System.Globalization;
using System.Text.Json;

namespace Appliance.Wasm.Conformance;

/// <summary>
/// Runs the WebAssembly spec test suite as converted by wabt's wast2json: a JSON list of commands
/// (module, register, action, assert_return, assert_trap, assert_exhaustion, assert_invalid,
/// assert_malformed, assert_unlinkable, assert_uninstantiable) with the binary modules beside it.
/// Every command but register counts; assert_malformed of a text module is skipped (the engine reads
/// binaries only). The <c>spectest</c> host module is the reference interpreter's.
/// </summary>
public sealed class SpecTestRunner
{
    /// <summary>The engine configuration the suite runs under: the spec's semantics, the appliance's limits where the suite allows.</summary>
    public static EngineConfig SuiteConfig { get; } = new()
    {
        RequireResetAfterTrap = false,
        MaxMemoryPages = 65_536,
        MaxTableElements = 10_000_000,
        MeterFuel = true,
    };

    private readonly Engine _engine;
    private readonly string _directory;
    private readonly List<string> _failures = [];
    private readonly Dictionary<string, Instance> _named = new(StringComparer.Ordinal);
    private Store _store;
    private Linker _linker;
    private Instance? _current;
    private int _passed;
    private int _skipped;

    private SpecTestRunner(Engine engine, string directory)
    {
        _engine = engine;
        _directory = directory;
        _store = new Store(engine);
        _linker = new Linker();
        DefineSpectestModule();
    }

    /// <summary>Runs one script (a .json file from wast2json).</summary>
    public static SpecTestResult RunFile(string jsonPath, Engine? engine = null)
    {
        var runner = new SpecTestRunner(engine ?? new Engine(SuiteConfig), Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
        return runner.Run(jsonPath);
    }

    /// <summary>The scripts of a suite folder: <c>DIR/NAME/NAME.json</c> for each NAME, or every .json directly in DIR.</summary>
    public static IReadOnlyList<string> FindScripts(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories)
            .Where(path => Path.GetFileNameWithoutExtension(path) == Path.GetFileName(Path.GetDirectoryName(path)) || Path.GetDirectoryName(path) == Path.GetFullPath(directory).TrimEnd('/'))
            .Order(StringComparer.Ordinal)];

    private SpecTestResult Run(string jsonPath)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(jsonPath));
        foreach (JsonElement command in document.RootElement.GetProperty("commands").EnumerateArray())
        {
            string type = command.GetProperty("type").GetString()!;
            int line = command.TryGetProperty("line", out JsonElement lineElement) ? lineElement.GetInt32() : 0;
            try
            {
                RunCommand(type, command, line);
            }
            catch (Exception error) when (error is TrapException or WasmModuleException or InvalidOperationException or ArgumentException or KeyNotFoundException or FormatException or IOException)
            {
                Fail(line, $"{type}: unexpected {error.GetType().Name}: {error.Message}");
            }
        }

        return new SpecTestResult(Path.GetFileName(jsonPath), _passed, _failures.Count, _skipped, _failures);
    }

    private void RunCommand(string type, JsonElement command, int line)
    {
        switch (type)
        {
            case "module":
                Instance instance = Instantiate(command.GetProperty("filename").GetString()!);
                _current = instance;
                if (command.TryGetProperty("name", out JsonElement name))
                {
                    _named[name.GetString()!] = instance;
                }

                _passed++;
                break;
            case "register":
                Instance registered = command.TryGetProperty("name", out JsonElement which) ? _named[which.GetString()!] : _current!;
                _linker.DefineInstance(command.GetProperty("as").GetString()!, registered);
                break;
            case "action":
                Perform(command.GetProperty("action"));
                _passed++;
                break;
            case "assert_return":
                AssertReturn(command, line);
                break;
            case "assert_trap":
            case "assert_exhaustion":
                AssertTrap(command, line, type == "assert_exhaustion");
                break;
            case "assert_invalid":
            case "assert_malformed":
                AssertRejected(command, line, type);
                break;
            case "assert_unlinkable":
                AssertInstantiationFails(command, line, ModuleErrorKind.Unlinkable);
                break;
            case "assert_uninstantiable":
                AssertInstantiationFails(command, line, ModuleErrorKind.Uninstantiable);
                break;
            default:
                Fail(line, $"unknown command type {type}");
                break;
        }
    }

    private Instance Instantiate(string file)
    {
        Module module = Module.Compile(_engine, File.ReadAllBytes(Path.Combine(_directory, file)));
        return _linker.Instantiate(_store, module);
    }

    private void AssertReturn(JsonElement command, int line)
    {
        ulong[] results;
        try
        {
            results = Perform(command.GetProperty("action"));
        }
        catch (TrapException trap)
        {
            Fail(line, $"assert_return: trapped: {trap.Message}");
            return;
        }

        JsonElement[] expected = [.. command.GetProperty("expected").EnumerateArray()];
        if (expected.Length != results.Length)
        {
            Fail(line, $"assert_return: {results.Length} results, expected {expected.Length}");
            return;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (!Matches(expected[i], results[i]))
            {
                Fail(line, $"assert_return: result {i} is 0x{results[i]:x}, expected {expected[i].GetProperty("type").GetString()} {expected[i].GetProperty("value")}");
                return;
            }
        }

        _passed++;
    }

    private void AssertTrap(JsonElement command, int line, bool exhaustion)
    {
        string text = command.GetProperty("text").GetString() ?? string.Empty;
        if (command.TryGetProperty("module", out _))
        {
            Fail(line, "assert_trap on a module is not supported by this runner");
            return;
        }

        try
        {
            Perform(command.GetProperty("action"));
            Fail(line, $"expected a trap \"{text}\", but the call returned");
        }
        catch (TrapException trap)
        {
            bool right = exhaustion
                ? trap.Code is TrapCode.CallStackExhausted or TrapCode.ValueStackExhausted
                : trap.Code is not (TrapCode.CallStackExhausted or TrapCode.ValueStackExhausted or TrapCode.OutOfFuel);
            if (right)
            {
                _passed++;
            }
            else
            {
                Fail(line, $"expected the trap \"{text}\", got {trap.Code}: {trap.Message}");
            }
        }
    }

    private void AssertRejected(JsonElement command, int line, string type)
    {
        if (command.GetProperty("module_type").GetString() == "text")
        {
            _skipped++;
            return;
        }

        string file = command.GetProperty("filename").GetString()!;
        try
        {
            Module.Compile(_engine, File.ReadAllBytes(Path.Combine(_directory, file)));
            Fail(line, $"{type}: {file} was accepted, expected \"{command.GetProperty("text").GetString()}\"");
        }
        catch (WasmModuleException)
        {
            _passed++;
        }
    }

    private void AssertInstantiationFails(JsonElement command, int line, ModuleErrorKind kind)
    {
        string file = command.GetProperty("filename").GetString()!;
        try
        {
            Instantiate(file);
            Fail(line, $"{file} was instantiated, expected \"{command.GetProperty("text").GetString()}\"");
        }
        catch (WasmModuleException error) when (error.Kind == kind)
        {
            _passed++;
        }
    }

    private ulong[] Perform(JsonElement action)
    {
        Instance instance = action.TryGetProperty("module", out JsonElement module) ? _named[module.GetString()!] : _current!;
        string field = action.GetProperty("field").GetString()!;
        if (action.GetProperty("type").GetString() == "get")
        {
            return [((Global)instance.Exports[field]).Value];
        }

        ulong[] arguments = [.. action.GetProperty("args").EnumerateArray().Select(ParseValue)];
        _store.Fuel = long.MaxValue;
        return instance.GetFunction(field).Call(arguments);
    }

    private static ulong ParseValue(JsonElement value)
    {
        string type = value.GetProperty("type").GetString()!;
        string text = value.GetProperty("value").GetString()!;
        return type switch
        {
            "externref" => text == "null" ? 0 : ulong.Parse(text, CultureInfo.InvariantCulture) + 1,
            "funcref" => text == "null" ? 0 : ulong.Parse(text, CultureInfo.InvariantCulture) + 1,
            _ => ulong.Parse(text, CultureInfo.InvariantCulture),
        };
    }

    private static bool Matches(JsonElement expected, ulong actual)
    {
        string type = expected.GetProperty("type").GetString()!;
        string text = expected.GetProperty("value").GetString()!;
        switch (type)
        {
            case "f32" when text == "nan:canonical":
                return ((uint)actual & 0x7FFF_FFFF) == 0x7FC0_0000;
            case "f32" when text == "nan:arithmetic":
                return ((uint)actual & 0x7FC0_0000) == 0x7FC0_0000;
            case "f64" when text == "nan:canonical":
                return (actual & 0x7FFF_FFFF_FFFF_FFFF) == 0x7FF8_0000_0000_0000;
            case "f64" when text == "nan:arithmetic":
                return (actual & 0x7FF8_0000_0000_0000) == 0x7FF8_0000_0000_0000;
            case "i32" or "f32":
                return (uint)actual == uint.Parse(text, CultureInfo.InvariantCulture);
            case "funcref" when text != "null":
                return actual != 0;
            default:
                return actual == ParseValue(expected);
        }
    }

    private void Fail(int line, string message) => _failures.Add($"line {line}: {message}");

    private void DefineSpectestModule()
    {
        FunctionType Signature(params ValueKind[] parameters) => new(parameters, []);
        HostCallback print = _ => { }; // the reference interpreter prints; the suite checks nothing of it

        _linker.DefineFunction(_store, "spectest", "print", Signature(), print);
        _linker.DefineFunction(_store, "spectest", "print_i32", Signature(ValueKind.I32), print);
        _linker.DefineFunction(_store, "spectest", "print_i64", Signature(ValueKind.I64), print);
        _linker.DefineFunction(_store, "spectest", "print_f32", Signature(ValueKind.F32), print);
        _linker.DefineFunction(_store, "spectest", "print_f64", Signature(ValueKind.F64), print);
        _linker.DefineFunction(_store, "spectest", "print_i32_f32", Signature(ValueKind.I32, ValueKind.F32), print);
        _linker.DefineFunction(_store, "spectest", "print_f64_f64", Signature(ValueKind.F64, ValueKind.F64), print);
        _linker.Define("spectest", "global_i32", new Global(new GlobalType(ValueKind.I32, false), 666));
        _linker.Define("spectest", "global_i64", new Global(new GlobalType(ValueKind.I64, false), 666));
        _linker.Define("spectest", "global_f32", new Global(new GlobalType(ValueKind.F32, false), BitConverter.SingleToUInt32Bits(666.6f)));
        _linker.Define("spectest", "global_f64", new Global(new GlobalType(ValueKind.F64, false), BitConverter.DoubleToUInt64Bits(666.6)));
        _linker.Define("spectest", "table", new Table(new TableType(ValueKind.FuncRef, new Limits(10, 20)), 20));
        _linker.Define("spectest", "memory", new Memory(new MemoryType(new Limits(1, 2)), 2));
    }
}
