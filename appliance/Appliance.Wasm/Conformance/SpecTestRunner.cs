using System.Globalization;
using System.Text.Json;

namespace Appliance.Wasm.Conformance;

/// <summary>
/// Runs the WebAssembly spec test suite as converted by wabt's wast2json: a JSON list of commands
/// (module, register, action, assert_return, assert_trap, assert_exhaustion, assert_invalid,
/// assert_malformed, assert_unlinkable, assert_uninstantiable) with the binary modules beside it.
/// Every command but register counts; assert_malformed of a text module is skipped (the engines read
/// binaries only). The runner knows the commands and the values; the engine is an <see cref="ISpecTarget"/>, so
/// the same runner checks our interpreter and Wasmtime (and Wasmtime passing checks the runner).
/// </summary>
public sealed class SpecTestRunner
{
    private readonly ISpecTarget _target;
    private readonly List<string> _failures = [];
    private readonly Dictionary<string, object> _named = new(StringComparer.Ordinal);
    private object? _current;
    private int _passed;
    private int _skipped;

    private SpecTestRunner(ISpecTarget target)
    {
        _target = target;
    }

    /// <summary>The engine configuration of our interpreter under the suite.</summary>
    public static EngineConfig SuiteConfig => InterpreterSpecTarget.SuiteConfig;

    /// <summary>Runs one script (a .json file from wast2json) in our interpreter.</summary>
    public static SpecTestResult RunFile(string jsonPath, Engine? engine = null) =>
        RunFile(jsonPath, directory => new InterpreterSpecTarget(directory, engine));

    /// <summary>Runs one script in the engine <paramref name="target"/> makes for the script's folder.</summary>
    public static SpecTestResult RunFile(string jsonPath, Func<string, ISpecTarget> target)
    {
        ArgumentNullException.ThrowIfNull(target);
        ISpecTarget engine = target(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
        try
        {
            return new SpecTestRunner(engine).Run(jsonPath);
        }
        finally
        {
            (engine as IDisposable)?.Dispose();
        }
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
            catch (Exception error) when (error is SpecTrapException or SpecRefusalException or TrapException or WasmModuleException or InvalidOperationException or ArgumentException or KeyNotFoundException or FormatException or IOException or InvalidCastException)
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
                object instance = _target.Instantiate(command.GetProperty("filename").GetString()!);
                _current = instance;
                if (command.TryGetProperty("name", out JsonElement name))
                {
                    _named[name.GetString()!] = instance;
                }

                _passed++;
                break;
            case "register":
                object registered = command.TryGetProperty("name", out JsonElement which) ? _named[which.GetString()!] : _current!;
                _target.Register(command.GetProperty("as").GetString()!, registered);
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
                AssertInstantiationFails(command, line, SpecRefusalStep.Link);
                break;
            case "assert_uninstantiable":
                AssertInstantiationFails(command, line, SpecRefusalStep.Instantiate);
                break;
            default:
                Fail(line, $"unknown command type {type}");
                break;
        }
    }

    private void AssertReturn(JsonElement command, int line)
    {
        ulong[] results;
        try
        {
            results = Perform(command.GetProperty("action"));
        }
        catch (SpecTrapException trap)
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
        catch (SpecTrapException trap)
        {
            if (trap.Exhaustion == exhaustion)
            {
                _passed++;
            }
            else
            {
                Fail(line, $"expected the trap \"{text}\", got {trap.Message}");
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
            _target.Compile(file);
            Fail(line, $"{type}: {file} was accepted, expected \"{command.GetProperty("text").GetString()}\"");
        }
        catch (SpecRefusalException refused) when (refused.Step == SpecRefusalStep.Compile)
        {
            _passed++;
        }
    }

    private void AssertInstantiationFails(JsonElement command, int line, SpecRefusalStep step)
    {
        string file = command.GetProperty("filename").GetString()!;
        try
        {
            _target.Instantiate(file);
            Fail(line, $"{file} was instantiated, expected \"{command.GetProperty("text").GetString()}\"");
        }
        catch (SpecRefusalException refused) when (refused.Step == step)
        {
            _passed++;
        }
    }

    private ulong[] Perform(JsonElement action)
    {
        object instance = action.TryGetProperty("module", out JsonElement module) ? _named[module.GetString()!] : _current!;
        string field = action.GetProperty("field").GetString()!;
        if (action.GetProperty("type").GetString() == "get")
        {
            return [_target.Get(instance, field)];
        }

        JsonElement[] args = [.. action.GetProperty("args").EnumerateArray()];
        return _target.Invoke(instance, field, [.. args.Select(ParseValue)], [.. args.Select(arg => arg.GetProperty("type").GetString()!)]);
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
}
