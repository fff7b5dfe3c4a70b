namespace Appliance.Wasm;

/// <summary>Why a run stopped before its end. Each engine limit has its own code.</summary>
public enum TrapCode
{
    /// <summary>The <c>unreachable</c> operator ran.</summary>
    Unreachable,

    /// <summary>A load, store or bulk operation reached outside linear memory.</summary>
    MemoryOutOfBounds,

    /// <summary>A table access, or a call_indirect element index, was outside the table.</summary>
    TableOutOfBounds,

    /// <summary>call_indirect found a null reference.</summary>
    IndirectCallToNull,

    /// <summary>call_indirect found a function of another type.</summary>
    IndirectCallTypeMismatch,

    /// <summary>Integer division or remainder by zero.</summary>
    IntegerDivideByZero,

    /// <summary>Signed division overflow, or a float too large for the integer it is converted to.</summary>
    IntegerOverflow,

    /// <summary>A NaN converted to an integer.</summary>
    InvalidConversionToInteger,

    /// <summary>The call depth limit was reached (unbounded recursion).</summary>
    CallStackExhausted,

    /// <summary>The value-stack slot limit was reached.</summary>
    ValueStackExhausted,

    /// <summary>The fuel ran out; the host may refuel and resume.</summary>
    OutOfFuel,

    /// <summary>A host function trapped the guest; the message says why.</summary>
    Host,

    /// <summary>The instance trapped before and must be reset before it runs again.</summary>
    InstanceTrapped,
}
