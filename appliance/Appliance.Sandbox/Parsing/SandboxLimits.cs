namespace Appliance.Sandbox.Parsing;

/// <summary>The engine limits and the fuel of every parser instance.</summary>
/// <param name="Fuel">WebAssembly operators one instance may execute to decode one frame.</param>
/// <param name="MemoryPages">Largest linear memory of one instance, in 64 KiB pages.</param>
/// <param name="StackSlots">Value-stack slots of one instance.</param>
/// <param name="CallDepth">Deepest call nesting of one instance.</param>
public sealed record SandboxLimits(long Fuel, int MemoryPages, int StackSlots, int CallDepth);
