namespace Appliance.Wasm;

/// <summary>The one exception for a run that trapped. It carries the <see cref="TrapCode"/>.</summary>
public sealed class TrapException : Exception
{
    public TrapException(TrapCode code, string? detail = null)
        : base(detail is null ? Describe(code) : $"{Describe(code)}: {detail}")
    {
        Code = code;
    }

    public TrapException()
        : this(TrapCode.Unreachable)
    {
    }

    public TrapException(string message)
        : this(TrapCode.Host, message)
    {
    }

    public TrapException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = TrapCode.Host;
    }

    public TrapCode Code { get; }

    /// <summary>The spec test suite's wording of each trap ("integer divide by zero").</summary>
    public static string Describe(TrapCode code) => code switch
    {
        TrapCode.Unreachable => "unreachable",
        TrapCode.MemoryOutOfBounds => "out of bounds memory access",
        TrapCode.TableOutOfBounds => "out of bounds table access",
        TrapCode.IndirectCallToNull => "uninitialized element",
        TrapCode.IndirectCallTypeMismatch => "indirect call type mismatch",
        TrapCode.IntegerDivideByZero => "integer divide by zero",
        TrapCode.IntegerOverflow => "integer overflow",
        TrapCode.InvalidConversionToInteger => "invalid conversion to integer",
        TrapCode.CallStackExhausted => "call stack exhausted",
        TrapCode.ValueStackExhausted => "value stack exhausted",
        TrapCode.OutOfFuel => "out of fuel",
        TrapCode.Host => "host trap",
        _ => "instance trapped earlier and was not reset",
    };
}
