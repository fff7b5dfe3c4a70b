namespace Appliance.Wasm;

public sealed record MemoryType(Limits Limits);
