using System.Globalization;
using Appliance.Wasm;
using Appliance.Wasm.Conformance;

namespace Appliance.Cli;

/// <summary><c>appliance wasm run | validate | spectest | fuzz-exec</c>: the engine from the command line.</summary>
internal static class WasmVerbs
{
    private const string Usage = "appliance wasm run FILE.wasm --invoke NAME [ARGS...] [--fuel N] [--engine interpreter|wasmtime] | appliance wasm validate FILE.wasm [--engine E] | appliance wasm spectest DIR [--engine E] | appliance wasm fuzz-exec FILE...";

    public static async Task<ExitCode> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var arguments = new Arguments(args, Usage);
        string command = arguments.Positional("a wasm command (run, validate, spectest or fuzz-exec)");
        switch (command)
        {
            case "validate":
                {
                    bool wasmtime = Wasmtime(arguments);
                    string file = arguments.Positional("the module FILE");
                    arguments.End();
                    if (wasmtime ? !await TryValidateInWasmtimeAsync(file, error).ConfigureAwait(false) : !TryCompile(file, new Engine(), error, out _))
                    {
                        return ExitCode.UsageOrConfig;
                    }

                    await output.WriteLineAsync($"{file}: valid").ConfigureAwait(false);
                    return ExitCode.Ok;
                }

            case "run":
                return await RunFunctionAsync(arguments, output, error).ConfigureAwait(false);
            case "spectest":
                {
                    bool wasmtime = Wasmtime(arguments);
                    string directory = arguments.Positional("the suite DIR");
                    arguments.End();
                    return await SpecTestAsync(directory, wasmtime, output).ConfigureAwait(false);
                }

            case "fuzz-exec":
                return await FuzzExecAsync(arguments, output, error).ConfigureAwait(false);

            default:
                throw new UsageException($"unknown wasm command \"{command}\"; usage: {Usage}");
        }
    }

    private static async Task<ExitCode> RunFunctionAsync(Arguments arguments, TextWriter output, TextWriter error)
    {
        bool wasmtime = Wasmtime(arguments);
        string? fuelText = arguments.Option("--fuel");
        string? name = arguments.Option("--invoke") ?? throw new UsageException($"run needs --invoke NAME; usage: {Usage}");
        string file = arguments.Positional("the module FILE");
        var values = new List<string>();
        while (true)
        {
            try
            {
                values.Add(arguments.Positional("argument"));
            }
            catch (UsageException)
            {
                break;
            }
        }

        arguments.End();
        long? fuelLimit = fuelText is null ? null
            : long.TryParse(fuelText, NumberStyles.None, CultureInfo.InvariantCulture, out long parsedFuel) ? parsedFuel
            : throw new UsageException($"--fuel takes a whole number, not \"{fuelText}\"");
        if (wasmtime)
        {
            return await RunInWasmtimeAsync(file, name, values, fuelLimit, output, error).ConfigureAwait(false);
        }

        var engine = new Engine();
        if (!TryCompile(file, engine, error, out Module? module))
        {
            return ExitCode.UsageOrConfig;
        }

        var store = new Store(engine);
        if (fuelLimit is long fuel)
        {
            store.Fuel = fuel;
        }

        Instance instance;
        try
        {
            instance = new Linker().Instantiate(store, module);
        }
        catch (WasmModuleException failure)
        {
            await error.WriteLineAsync($"appliance: {file}: {failure.Message}").ConfigureAwait(false);
            return failure.Kind == ModuleErrorKind.Uninstantiable ? ExitCode.Trap : ExitCode.UsageOrConfig;
        }

        Function function = instance.Exports.TryGetValue(name, out object? item) && item is Function f
            ? f
            : throw new UsageException($"{file} exports no function \"{name}\"");
        if (values.Count != function.Type.Parameters.Count)
        {
            throw new UsageException($"{name} takes {function.Type.Parameters.Count} arguments {function.Type}, not {values.Count}");
        }

        ulong[] raw = [.. values.Select((text, i) => WasmValueText.Parse(text, function.Type.Parameters[i]))];
        try
        {
            ulong[] results = function.Call(raw);
            for (int i = 0; i < results.Length; i++)
            {
                await output.WriteLineAsync($"{WasmValueText.Format(results[i], function.Type.Results[i])}:{function.Type.Results[i].Name()}").ConfigureAwait(false);
            }

            return ExitCode.Ok;
        }
        catch (TrapException trap)
        {
            await error.WriteLineAsync($"appliance: trap {trap.Code}: {trap.Message}").ConfigureAwait(false);
            return ExitCode.Trap;
        }
    }

    /// <summary><c>wasm run --engine wasmtime</c>: the same call in Wasmtime (fuel metered when --fuel is given), the same output.</summary>
    private static async Task<ExitCode> RunInWasmtimeAsync(string file, string name, List<string> values, long? fuel, TextWriter output, TextWriter error)
    {
        byte[] bytes = File.Exists(file) ? await File.ReadAllBytesAsync(file).ConfigureAwait(false) : throw new UsageException($"no such file \"{file}\"");
        using var engine = new global::Wasmtime.Engine(Sandbox.Parsing.WasmtimeParserModule.LaneConfig().WithFuelConsumption(fuel is not null));
        global::Wasmtime.Module module;
        try
        {
            module = global::Wasmtime.Module.FromBytes(engine, file, bytes);
        }
        catch (global::Wasmtime.WasmtimeException refused)
        {
            await error.WriteLineAsync($"appliance: {file}: Wasmtime refused it: {refused.Message}").ConfigureAwait(false);
            return ExitCode.UsageOrConfig;
        }

        using (module)
        using (var store = new global::Wasmtime.Store(engine))
        using (var linker = new global::Wasmtime.Linker(engine))
        {
            if (fuel is long limit)
            {
                store.Fuel = (ulong)limit;
            }

            try
            {
                global::Wasmtime.Instance instance = linker.Instantiate(store, module);
                global::Wasmtime.Function function = instance.GetFunction(name) ?? throw new UsageException($"{file} exports no function \"{name}\"");
                if (values.Count != function.Parameters.Count)
                {
                    throw new UsageException($"{name} takes {function.Parameters.Count} arguments, not {values.Count}");
                }

                global::Wasmtime.ValueBox[] arguments = [.. values.Select((text, i) => Box(WasmValueText.Parse(text, Kind(function.Parameters[i])), function.Parameters[i]))];
                object? result = function.Invoke(arguments);
                object?[] results = function.Results.Count switch
                {
                    0 => [],
                    1 => [result],
                    _ => (object?[])result!,
                };
                for (int i = 0; i < results.Length; i++)
                {
                    ValueKind kind = Kind(function.Results[i]);
                    await output.WriteLineAsync($"{WasmValueText.Format(Bits(results[i]), kind)}:{kind.Name()}").ConfigureAwait(false);
                }

                return ExitCode.Ok;
            }
            catch (global::Wasmtime.TrapException trap)
            {
                await error.WriteLineAsync($"appliance: trap {trap.Type}: {trap.Message}").ConfigureAwait(false);
                return ExitCode.Trap;
            }
            catch (global::Wasmtime.WasmtimeException failure)
            {
                await error.WriteLineAsync($"appliance: {file}: {failure.Message}").ConfigureAwait(false);
                return ExitCode.UsageOrConfig;
            }
        }
    }

    private static ValueKind Kind(global::Wasmtime.ValueKind kind) => kind switch
    {
        global::Wasmtime.ValueKind.Int32 => ValueKind.I32,
        global::Wasmtime.ValueKind.Int64 => ValueKind.I64,
        global::Wasmtime.ValueKind.Float32 => ValueKind.F32,
        global::Wasmtime.ValueKind.Float64 => ValueKind.F64,
        global::Wasmtime.ValueKind.FuncRef => ValueKind.FuncRef,
        _ => ValueKind.ExternRef,
    };

    private static global::Wasmtime.ValueBox Box(ulong bits, global::Wasmtime.ValueKind kind) => kind switch
    {
        global::Wasmtime.ValueKind.Int32 => (int)(uint)bits,
        global::Wasmtime.ValueKind.Int64 => (long)bits,
        global::Wasmtime.ValueKind.Float32 => BitConverter.UInt32BitsToSingle((uint)bits),
        _ => BitConverter.UInt64BitsToDouble(bits),
    };

    private static ulong Bits(object? value) => value switch
    {
        int i => (uint)i,
        long l => (ulong)l,
        float f => BitConverter.SingleToUInt32Bits(f),
        double d => BitConverter.DoubleToUInt64Bits(d),
        null => 0,
        _ => 1,
    };

    /// <summary><c>--engine interpreter</c> (the default) or <c>--engine wasmtime</c>; true for Wasmtime.</summary>
    private static bool Wasmtime(Arguments arguments) => arguments.Option("--engine") switch
    {
        null or "interpreter" => false,
        "wasmtime" => true,
        string other => throw new UsageException($"--engine takes interpreter or wasmtime, not \"{other}\"; usage: {Usage}"),
    };

    private static async Task<bool> TryValidateInWasmtimeAsync(string file, TextWriter error)
    {
        byte[] bytes = File.Exists(file) ? await File.ReadAllBytesAsync(file).ConfigureAwait(false) : throw new UsageException($"no such file \"{file}\"");
        using var engine = new global::Wasmtime.Engine(Sandbox.Parsing.WasmtimeParserModule.LaneConfig());
        string? problem = global::Wasmtime.Module.Validate(engine, bytes);
        if (problem is null)
        {
            return true;
        }

        await error.WriteLineAsync($"appliance: {file}: Wasmtime refused it: {problem}").ConfigureAwait(false);
        return false;
    }

    private static async Task<ExitCode> SpecTestAsync(string directory, bool wasmtime, TextWriter output)
    {
        if (!Directory.Exists(directory))
        {
            throw new UsageException($"no such directory \"{directory}\"");
        }

        int passed = 0, failed = 0, skipped = 0;
        foreach (string script in SpecTestRunner.FindScripts(directory))
        {
            SpecTestResult result = wasmtime
                ? SpecTestRunner.RunFile(script, folder => new Sandbox.Conformance.WasmtimeSpecTarget(folder))
                : SpecTestRunner.RunFile(script);
            passed += result.Passed;
            failed += result.Failed;
            skipped += result.Skipped;
            await output.WriteLineAsync($"{result.File}: {result.Passed} passed, {result.Failed} failed, {result.Skipped} skipped").ConfigureAwait(false);
            foreach (string failure in result.Failures.Take(20))
            {
                await output.WriteLineAsync($"  {failure}").ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync($"{passed} passed, {failed} failed, {skipped} skipped").ConfigureAwait(false);
        return failed == 0 ? ExitCode.Ok : ExitCode.RuntimeFailure;
    }

    /// <summary>
    /// Prints the <see cref="FuzzExec"/> transcript of each module after a line <c>== FILE</c>, so one process
    /// serves a whole batch of a differential run. An unreadable file is reported and the exit code is 1.
    /// </summary>
    private static async Task<ExitCode> FuzzExecAsync(Arguments arguments, TextWriter output, TextWriter error)
    {
        var files = new List<string> { arguments.Positional("a module FILE") };
        while (true)
        {
            try
            {
                files.Add(arguments.Positional("a module FILE"));
            }
            catch (UsageException)
            {
                break;
            }
        }

        arguments.End();
        var engine = new Engine(FuzzExec.Config);
        ExitCode code = ExitCode.Ok;
        foreach (string file in files)
        {
            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(file).ConfigureAwait(false);
            }
            catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"appliance: cannot read {file}: {failure.Message}").ConfigureAwait(false);
                code = ExitCode.RuntimeFailure;
                continue;
            }

            await output.WriteAsync($"== {file}\n{FuzzExec.Run(bytes, engine)}").ConfigureAwait(false);
        }

        return code;
    }

    private static bool TryCompile(string file, Engine engine, TextWriter error, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Module? module)
    {
        module = null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"appliance: cannot read {file}: {failure.Message}");
            return false;
        }

        try
        {
            module = Module.Compile(engine, bytes);
            return true;
        }
        catch (WasmModuleException failure)
        {
            error.WriteLine($"appliance: {file}: {failure.Message}");
            return false;
        }
    }
}
