namespace Appliance.Wasm;

/// <summary>Facts about value types.</summary>
public static class ValueKinds
{
    public static bool IsReference(this ValueKind type) => type is ValueKind.FuncRef or ValueKind.ExternRef;

    public static bool IsNumeric(this ValueKind type) => type is ValueKind.I32 or ValueKind.I64 or ValueKind.F32 or ValueKind.F64;

    /// <summary>The text-format name: i32, i64, f32, f64, funcref, externref.</summary>
    public static string Name(this ValueKind type) => type switch
    {
        ValueKind.I32 => "i32",
        ValueKind.I64 => "i64",
        ValueKind.F32 => "f32",
        ValueKind.F64 => "f64",
        ValueKind.FuncRef => "funcref",
        ValueKind.ExternRef => "externref",
        _ => $"0x{(byte)type:x2}",
    };
}
