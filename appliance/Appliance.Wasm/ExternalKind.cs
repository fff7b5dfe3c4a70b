namespace Appliance.Wasm;

/// <summary>Kinds of imports and exports, with their binary encodings (Core spec 5.5.5).</summary>
public enum ExternalKind : byte
{
    Function = 0,
    Table = 1,
    Memory = 2,
    Global = 3,
}
