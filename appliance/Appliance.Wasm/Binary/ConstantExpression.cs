namespace Appliance.Wasm.Binary;

/// <summary>Operators allowed in a constant expression (Core spec 3.3.10): the whole 2.0 set.</summary>
internal enum ConstantOperator : byte
{
    I32Const,
    I64Const,
    F32Const,
    F64Const,
    RefNull,
    RefFunc,
    GlobalGet,
}

/// <summary>One operator of a constant expression; <see cref="Value"/> holds a constant's bits, <see cref="Index"/> a function or global index.</summary>
internal readonly record struct ConstantInstruction(ConstantOperator Operator, ulong Value, uint Index, ValueKind ReferenceType = default);

/// <summary>A constant expression: initializers of globals, offsets and items of segments (Core spec 2.4.9, 5.4.9).</summary>
internal sealed record ConstantExpression(ConstantInstruction[] Instructions, int Offset);
