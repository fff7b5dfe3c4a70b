namespace Appliance.Wasm;

public sealed record GlobalType(ValueKind Type, bool Mutable);
