using Appliance.Wasm;

namespace Appliance.Sandbox.Parsing;

/// <summary>
/// The parser guest compiled once, with the engine limits (memory pages, stack slots, call depth) and the
/// fuel each instance gets per frame. Every triplet of the gateway instantiates this one module.
/// </summary>
public sealed class ParserModule
{
    private ParserModule(Engine engine, Module module, long fuel, string guest)
    {
        Engine = engine;
        Module = module;
        Fuel = fuel;
        Guest = guest;
    }

    /// <summary>The guest's name ("modbus-parser", "modbus-parser-c").</summary>
    public string Guest { get; }

    public Engine Engine { get; }

    public Module Module { get; }

    /// <summary>Fuel one instance may burn on one frame.</summary>
    public long Fuel { get; }

    /// <exception cref="WasmModuleException">The module is malformed, invalid or exceeds the limits.</exception>
    public static ParserModule Compile(byte[] wasm, SandboxLimits limits, string guest = "modbus-parser")
    {
        ArgumentNullException.ThrowIfNull(wasm);
        ArgumentNullException.ThrowIfNull(limits);
        var engine = new Engine(new EngineConfig
        {
            MeterFuel = true,
            MaxMemoryPages = (uint)limits.MemoryPages,
            MaxStackSlots = limits.StackSlots,
            MaxCallDepth = limits.CallDepth,
            RequireResetAfterTrap = true,
        });
        return new ParserModule(engine, Module.Compile(engine, wasm), limits.Fuel, guest);
    }
}
