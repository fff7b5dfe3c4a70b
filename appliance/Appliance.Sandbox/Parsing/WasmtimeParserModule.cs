namespace Appliance.Sandbox.Parsing;

/// <summary>
/// The parser guest compiled once by Wasmtime (Cranelift, native code), with fuel metering and the lane limits: fuel
/// per frame, the largest linear memory, and the native stack the guest may use (from the value-stack slots and the
/// call depth of <see cref="SandboxLimits"/>). Every <see cref="WasmtimeLane"/> instantiates this one module.
/// </summary>
public sealed class WasmtimeParserModule : IDisposable
{
    /// <summary>Native stack bytes allowed per value-stack slot and per call frame of <see cref="SandboxLimits"/>.</summary>
    private const int BytesPerSlot = 8;
    private const int BytesPerFrame = 256;

    private WasmtimeParserModule(Wasmtime.Engine engine, Wasmtime.Module module, SandboxLimits limits, string guest)
    {
        Engine = engine;
        Module = module;
        Limits = limits;
        Guest = guest;
    }

    public Wasmtime.Engine Engine { get; }

    public Wasmtime.Module Module { get; }

    public SandboxLimits Limits { get; }

    /// <summary>The guest's name ("modbus-parser", "modbus-parser-c").</summary>
    public string Guest { get; }

    /// <summary>Largest linear memory of an instance, in bytes.</summary>
    public long MemoryBytes => (long)Limits.MemoryPages * 65_536;

    /// <exception cref="ParserConfigurationException">Wasmtime refused the module.</exception>
    public static WasmtimeParserModule Compile(byte[] wasm, SandboxLimits limits, string guest = "modbus-parser")
    {
        ArgumentNullException.ThrowIfNull(wasm);
        ArgumentNullException.ThrowIfNull(limits);
        int stack = checked((limits.StackSlots * BytesPerSlot) + (limits.CallDepth * BytesPerFrame));

        var engine = new Wasmtime.Engine(LaneConfig().WithFuelConsumption(true).WithMaximumStackSize(stack));
        try
        {
            return new WasmtimeParserModule(engine, Wasmtime.Module.FromBytes(engine, guest, wasm), limits, guest);
        }
        catch (Wasmtime.WasmtimeException refused)
        {
            engine.Dispose();
            throw new ParserConfigurationException($"Wasmtime refused the {guest} module: {refused.Message}", refused);
        }
    }

    /// <summary>
    /// WebAssembly 2.0 without SIMD, as our interpreter: the two engines must accept the same modules (the later
    /// proposals Wasmtime enables by default are off). NaNs are canonicalized, so that both engines compute the same bits.
    /// </summary>
    public static Wasmtime.Config LaneConfig() => new Wasmtime.Config()
        .WithSIMD(false)
        .WithRelaxedSIMD(false, false)
        .WithMultiMemory(false)
        .WithMemory64(false)
        .WithWasmThreads(false)
        .WithTailCalls(false)
        .WithGc(false)
        .WithFunctionReferences(false)
        .WithExceptions(false)
        .WithWideArithmetic(false)
        .WithCraneliftNaNCanonicalization(true);

    public void Dispose()
    {
        Module.Dispose();
        Engine.Dispose();
    }
}
