using Appliance.Wasm;

namespace Appliance.Fuzz;

/// <summary>
/// Fuzz target for the engine: decode, validate and instantiate arbitrary bytes, then run every export with
/// zero arguments under a fuel budget. Refusals and traps are expected outcomes; any other exception is a
/// finding and escapes.
/// </summary>
public static class WasmModuleTarget
{
    /// <summary>The limits a fuzzed module runs under: small, so a run stays fast and bounded.</summary>
    public static EngineConfig Config { get; } = new()
    {
        MaxMemoryPages = 64,
        MaxTableElements = 10_000,
        MaxStackSlots = 1 << 16,
        MaxCallDepth = 1_000,
    };

    private static readonly Engine SharedEngine = new(Config);

    /// <summary>What one input led to.</summary>
    public enum Outcome
    {
        Refused,
        InstantiationFailed,
        Ran,
    }

    public static Outcome Fuzz(ReadOnlySpan<byte> input)
    {
        Module module;
        try
        {
            module = Module.Compile(SharedEngine, input.ToArray());
        }
        catch (WasmModuleException)
        {
            return Outcome.Refused;
        }

        var store = new Store(SharedEngine) { Fuel = 200_000 };
        Linker linker = StubImports(store, module);
        Instance instance;
        try
        {
            instance = linker.Instantiate(store, module);
        }
        catch (WasmModuleException)
        {
            return Outcome.InstantiationFailed;
        }

        foreach ((string _, object item) in instance.Exports)
        {
            if (item is not Function function)
            {
                continue;
            }

            store.Fuel = 200_000;
            try
            {
                function.Call(new ulong[function.Type.Parameters.Count]);
            }
            catch (TrapException)
            {
                instance.Reset();
            }
        }

        return Outcome.Ran;
    }

    /// <summary>Satisfies every import with a harmless stand-in of the right type.</summary>
    private static Linker StubImports(Store store, Module module)
    {
        var linker = new Linker();
        foreach (ModuleImport import in module.Imports)
        {
            object? stub = import.Kind switch
            {
                ExternalKind.Function when import.FunctionType is FunctionType type =>
                    Function.FromHost(store, type, call => call.Results.Clear()),
                ExternalKind.Memory when import.Memory is MemoryType memory && memory.Limits.Minimum <= Config.MaxMemoryPages =>
                    new Memory(memory, Config.MaxMemoryPages),
                ExternalKind.Table when import.Table is TableType table && table.Limits.Minimum <= Config.MaxTableElements =>
                    new Table(table, Config.MaxTableElements),
                ExternalKind.Global when import.Global is GlobalType global => new Global(global, 0),
                _ => null,
            };
            if (stub is not null)
            {
                linker.Define(import.Module, import.Name, stub);
            }
        }

        return linker;
    }
}
