using System.Globalization;
using System.Text;
using Appliance.Wasm.Binary;

namespace Appliance.Wasm.Conformance;

/// <summary>
/// The harness of binaryen's <c>--fuzz-exec</c>, for differential testing against another engine (V8 through
/// <c>tests/differential/run-v8.mjs</c>, which writes the same transcript). One instance per module; every
/// export that is a function is called in export order with zero arguments (null for references), on the
/// same instance even after a trap; before each call, an export named <c>hangLimitInitializer</c> is called
/// (silently) to reset the loop budget binaryen's <c>-ttf</c> builds into the module. The imports
/// <c>fuzzing-support.log-i32|log-i64|log-f32|log-f64</c> log their argument.
/// </summary>
/// <remarks>
/// The transcript, one line each:
/// <code>
/// invalid                       the module was refused when compiled (the only line)
/// uninstantiable                linking, a segment or the start function failed (the only line)
/// call NAME                     an export is called
/// log VALUE...                  a fuzzing-support log import was called
/// return VALUE...               the call returned (no values when the function has no results)
/// trap                          the call trapped (the reason is not compared)
/// exhausted                     the call ran out of stack (engines' limits differ: comparison stops here)
/// timeout                       the call ran out of fuel (V8 has no such outcome: always a divergence)
/// </code>
/// A VALUE is <c>i32:-5</c>, <c>i64:-5</c> (signed decimal), <c>f32:0x3f800000</c>, <c>f64:0x3ff0000000000000</c>
/// (IEEE bits), <c>f32:nan</c> or <c>f64:nan</c> for every NaN (payloads may differ between engines),
/// <c>funcref:null</c>, <c>funcref:func</c>, <c>externref:null</c> or <c>externref:host</c>.
/// </remarks>
public static class FuzzExec
{
    /// <summary>Fuel for each export call: far more than binaryen's hang limits let a module use.</summary>
    public const long FuelPerCall = 2_000_000_000;

    private const string LogModule = "fuzzing-support";
    private const string HangLimitInitializer = "hangLimitInitializer";

    /// <summary>The spec's semantics with a deterministic call-depth limit; traps do not poison the instance.</summary>
    public static EngineConfig Config { get; } = new()
    {
        RequireResetAfterTrap = false,
        MaxMemoryPages = 65_536,
        MaxTableElements = 10_000_000,
        MaxCallDepth = 10_000,
        MeterFuel = true,
    };

    /// <summary>Runs a module's exports and returns its transcript (lines ending in '\n').</summary>
    public static string Run(byte[] bytes, Engine? engine = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        engine ??= new Engine(Config);
        var transcript = new StringBuilder();
        Module module;
        try
        {
            module = Module.Compile(engine, bytes);
        }
        catch (WasmModuleException)
        {
            return "invalid\n";
        }

        var store = new Store(engine) { Fuel = FuelPerCall };
        var linker = new Linker();
        foreach (ImportDefinition import in module.Definition.Imports)
        {
            if (import.Kind == ExternalKind.Function && import.Module == LogModule && import.Name.StartsWith("log-", StringComparison.Ordinal))
            {
                FunctionType type = module.Definition.Types[import.FunctionTypeIndex];
                linker.DefineFunction(store, import.Module, import.Name, type, call => Log(transcript, type, call));
            }
        }

        Instance instance;
        try
        {
            instance = linker.Instantiate(store, module);
        }
        catch (Exception failure) when (failure is WasmModuleException or TrapException)
        {
            return "uninstantiable\n";
        }

        Function? hangLimitInitializer = instance.Exports.TryGetValue(HangLimitInitializer, out object? item) ? item as Function : null;
        foreach (ExportDefinition export in module.Definition.Exports)
        {
            if (export.Kind != ExternalKind.Function)
            {
                continue;
            }

            if (hangLimitInitializer is not null)
            {
                int length = transcript.Length;
                Call(store, hangLimitInitializer);
                transcript.Length = length;
            }

            transcript.Append("call ").Append(export.Name).Append('\n');
            transcript.Append(Call(store, (Function)instance.Exports[export.Name])).Append('\n');
        }

        return transcript.ToString();
    }

    /// <summary>
    /// Compares two transcripts of one module. Export by export they must be equal; at the first export where
    /// either side exhausted its stack the comparison stops (the engines' limits differ, and what follows may
    /// depend on how deep each got), and the outcome is <see cref="FuzzExecVerdict.Skipped"/>.
    /// </summary>
    public static FuzzExecComparison Compare(string ours, string theirs)
    {
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(theirs);
        List<string[]> left = Blocks(ours), right = Blocks(theirs);
        for (int i = 0; i < Math.Max(left.Count, right.Count); i++)
        {
            string[] a = i < left.Count ? left[i] : [], b = i < right.Count ? right[i] : [];
            if (a.Length > 0 && b.Length > 0 && a[0] == b[0] && (a[^1] == "exhausted" || b[^1] == "exhausted"))
            {
                return new FuzzExecComparison(FuzzExecVerdict.Skipped, $"{a[0]}: exhausted the stack; the rest is not compared");
            }

            for (int line = 0; line < Math.Max(a.Length, b.Length); line++)
            {
                string x = line < a.Length ? a[line] : "(nothing)", y = line < b.Length ? b[line] : "(nothing)";
                if (x != y)
                {
                    string where = a.Length > 0 ? a[0] : b[0];
                    return new FuzzExecComparison(FuzzExecVerdict.Divergent, $"{where}: line {line + 1}: ours \"{x}\", theirs \"{y}\"");
                }
            }
        }

        return new FuzzExecComparison(FuzzExecVerdict.Same, "identical");
    }

    /// <summary>Formats a raw value the way the transcript writes it.</summary>
    public static string FormatValue(ulong value, ValueKind type) => type switch
    {
        ValueKind.I32 => "i32:" + ((int)value).ToString(CultureInfo.InvariantCulture),
        ValueKind.I64 => "i64:" + ((long)value).ToString(CultureInfo.InvariantCulture),
        ValueKind.F32 => float.IsNaN(BitConverter.UInt32BitsToSingle((uint)value)) ? "f32:nan" : $"f32:0x{(uint)value:x8}",
        ValueKind.F64 => double.IsNaN(BitConverter.UInt64BitsToDouble(value)) ? "f64:nan" : $"f64:0x{value:x16}",
        ValueKind.FuncRef => value == 0 ? "funcref:null" : "funcref:func",
        ValueKind.ExternRef => value == 0 ? "externref:null" : "externref:host",
        _ => $"{type.Name()}:?",
    };

    private static string Call(Store store, Function function)
    {
        store.Fuel = FuelPerCall;
        try
        {
            ulong[] results = function.Call(new ulong[function.Type.Parameters.Count]);
            var line = new StringBuilder("return");
            for (int i = 0; i < results.Length; i++)
            {
                line.Append(' ').Append(FormatValue(results[i], function.Type.Results[i]));
            }

            return line.ToString();
        }
        catch (TrapException trap)
        {
            return trap.Code switch
            {
                TrapCode.CallStackExhausted or TrapCode.ValueStackExhausted => "exhausted",
                TrapCode.OutOfFuel => "timeout",
                _ => "trap",
            };
        }
    }

    private static void Log(StringBuilder transcript, FunctionType type, HostCall call)
    {
        transcript.Append("log");
        for (int i = 0; i < call.Arguments.Length; i++)
        {
            transcript.Append(' ').Append(FormatValue(call.Arguments[i], type.Parameters[i]));
        }

        transcript.Append('\n');
    }

    /// <summary>Splits a transcript into blocks, each starting at a <c>call</c> line (the first may be a lone verdict).</summary>
    private static List<string[]> Blocks(string transcript)
    {
        var blocks = new List<string[]>();
        var current = new List<string>();
        foreach (string line in transcript.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("call ", StringComparison.Ordinal) && current.Count > 0)
            {
                blocks.Add([.. current]);
                current.Clear();
            }

            current.Add(line);
        }

        if (current.Count > 0)
        {
            blocks.Add([.. current]);
        }

        return blocks;
    }
}
