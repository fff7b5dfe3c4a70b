namespace Appliance.Wasm.Translation;

/// <summary>Where an operand-stack value is until it is needed: in its own slot, still in a local, or a constant.</summary>
internal enum OperandKind : byte
{
    Temp,
    Local,
    Const,
}

/// <summary>
/// One entry of the operand stack during translation: its type (null when unknown, in unreachable code),
/// and where its value is. A local or a constant is used straight from where it is, without a copy,
/// until something forces it into the slot of its stack position.
/// </summary>
internal struct Operand
{
    public ValueKind? Type;
    public OperandKind Kind;
    public int Local;
    public ulong Value;

    public static Operand Temp(ValueKind? type) => new() { Type = type, Kind = OperandKind.Temp };
}
