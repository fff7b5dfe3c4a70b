namespace Appliance.Wasm;

/// <summary>How an <see cref="Engine"/> compiles and runs modules, and the limits every instance lives within.</summary>
public sealed record EngineConfig
{
    public static EngineConfig Default { get; } = new();

    /// <summary>Shape limits checked while decoding.</summary>
    public ModuleLimits ModuleLimits { get; init; } = ModuleLimits.Default;

    /// <summary>Count fuel (operators executed) and stop a run that exhausts it.</summary>
    public bool MeterFuel { get; init; } = true;

    /// <summary>Largest linear memory of an instance, in 64 KiB pages (default 1,024 = 64 MiB).</summary>
    public uint MaxMemoryPages { get; init; } = 1_024;

    /// <summary>Largest table of an instance, in elements (default 100,000).</summary>
    public uint MaxTableElements { get; init; } = 100_000;

    /// <summary>Value-stack slots of one execution (default 1 Mi slots = 8 MiB).</summary>
    public int MaxStackSlots { get; init; } = 1 << 20;

    /// <summary>Deepest call nesting of one execution (default 10,000 frames).</summary>
    public int MaxCallDepth { get; init; } = 10_000;

    /// <summary>Refuse to run an instance that trapped until it is reset (the appliance's rule; the spec suite turns it off).</summary>
    public bool RequireResetAfterTrap { get; init; } = true;

    /// <summary>Replace every NaN result of a float operator by the canonical NaN, so that instances can be voted.</summary>
    public bool CanonicalizeNaNs { get; init; }
}
