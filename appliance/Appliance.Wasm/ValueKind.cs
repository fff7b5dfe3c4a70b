namespace Appliance.Wasm;

/// <summary>Value types, with their binary encodings (Core spec 5.3.1, 5.3.3).</summary>
public enum ValueKind : byte
{
    I32 = 0x7F,
    I64 = 0x7E,
    F32 = 0x7D,
    F64 = 0x7C,
    FuncRef = 0x70,
    ExternRef = 0x6F,
}
