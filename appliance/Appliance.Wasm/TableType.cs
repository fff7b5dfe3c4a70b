namespace Appliance.Wasm;

public sealed record TableType(ValueKind ElementType, Limits Limits);
