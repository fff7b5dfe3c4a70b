namespace Appliance.Wasm;

/// <summary>Why a module was refused before it could run.</summary>
public enum ModuleErrorKind
{
    /// <summary>The bytes are not a well-formed binary module (Core spec chapter 5).</summary>
    Malformed,

    /// <summary>The module is well formed but does not validate (Core spec chapter 3).</summary>
    Invalid,

    /// <summary>The module is valid but exceeds one of the engine's <see cref="ModuleLimits"/>.</summary>
    LimitExceeded,

    /// <summary>The imports cannot be satisfied (Core spec 4.5.4, "instantiate", step 4).</summary>
    Unlinkable,

    /// <summary>Instantiation failed: a segment out of bounds, a trapping start function, an engine limit.</summary>
    Uninstantiable,
}

/// <summary>A module was refused: malformed, invalid, over a limit, unlinkable or uninstantiable.</summary>
public sealed class WasmModuleException : Exception
{
    public WasmModuleException(ModuleErrorKind kind, string reason, long offset = -1)
        : base(offset >= 0 ? $"{Describe(kind)} at byte {offset}: {reason}" : $"{Describe(kind)}: {reason}")
    {
        Kind = kind;
        Reason = reason;
        Offset = offset;
    }

    public WasmModuleException()
        : this(ModuleErrorKind.Malformed, "malformed module")
    {
    }

    public WasmModuleException(string message)
        : this(ModuleErrorKind.Malformed, message)
    {
    }

    public WasmModuleException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
        Offset = -1;
    }

    public ModuleErrorKind Kind { get; }

    /// <summary>The reason alone, in the spec test suite's words where it has them ("unexpected end", "type mismatch").</summary>
    public string Reason { get; }

    /// <summary>Byte offset in the module where the problem was found, or -1.</summary>
    public long Offset { get; }

    private static string Describe(ModuleErrorKind kind) => kind switch
    {
        ModuleErrorKind.Malformed => "malformed module",
        ModuleErrorKind.Invalid => "invalid module",
        ModuleErrorKind.LimitExceeded => "module exceeds a limit",
        ModuleErrorKind.Unlinkable => "unlinkable module",
        _ => "module cannot be instantiated",
    };
}
