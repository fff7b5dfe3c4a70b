namespace Appliance.Config;

/// <summary><c>[tmr]</c>: the voted parser sandboxes.</summary>
/// <param name="Fuel">WebAssembly operators one instance may execute to decode one frame.</param>
/// <param name="MemoryPages">Largest linear memory of one instance, in 64 KiB pages.</param>
/// <param name="StackSlots">Value-stack slots of one instance.</param>
/// <param name="CallDepth">Deepest call nesting of one instance.</param>
public sealed record TmrConfig(
    TmrMode Mode,
    long Fuel,
    int MemoryPages,
    int StackSlots,
    int CallDepth,
    FaultInjectionConfig FaultInjection)
{
    /// <summary>The voting lanes, <c>engine:guest</c> each, in order; the mode votes with the first one, two or three.</summary>
    public IReadOnlyList<LaneConfig> Lanes { get; init; } = LaneConfig.Default;

    /// <summary>Equal when every setting is, the lanes compared item by item.</summary>
    public bool Equals(TmrConfig? other) =>
        other is not null
        && (Mode, Fuel, MemoryPages, StackSlots, CallDepth, FaultInjection) == (other.Mode, other.Fuel, other.MemoryPages, other.StackSlots, other.CallDepth, other.FaultInjection)
        && Lanes.SequenceEqual(other.Lanes);

    public override int GetHashCode() => HashCode.Combine(Mode, Fuel, MemoryPages, StackSlots, CallDepth, FaultInjection, Lanes.Count);
}
