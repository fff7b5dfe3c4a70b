namespace Appliance.Wasm.Translation;

/// <summary>A function or loop body whose operators are charged together each time it is entered.</summary>
internal sealed class FuelRegion
{
    /// <summary>The Fuel instruction at the region's start, or -1 (no metering, or unreachable code).</summary>
    public int Instruction = -1;

    /// <summary>Fuel of the operators seen so far in the region.</summary>
    public long Amount;

    /// <summary>Back-edges that pay the region's amount themselves, patched when the region closes.</summary>
    public List<int> Branches = [];
}
