namespace Appliance.Wasm;

/// <summary>A global variable (Core spec 4.2.9). Its value is kept as raw bits: i32 zero-extended, floats as IEEE bits.</summary>
public sealed class Global(GlobalType type, ulong value)
{
    public GlobalType Type { get; } = type;

    public ulong Value { get; set; } = value;
}
