namespace Appliance.Wasm;

/// <summary>Size limits of a memory (in pages) or a table (in elements) (Core spec 2.3.7).</summary>
public readonly record struct Limits(uint Minimum, uint? Maximum)
{
    /// <summary>Import matching (Core spec 4.5.2.4): these limits fit inside <paramref name="required"/>.</summary>
    public bool IsSubsetOf(Limits required) =>
        Minimum >= required.Minimum
        && (required.Maximum is null || (Maximum is not null && Maximum.Value <= required.Maximum.Value));
}
