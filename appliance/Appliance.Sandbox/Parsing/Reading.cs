namespace Appliance.Sandbox.Parsing;

/// <summary>One decoded tag of an outcome. <see cref="Text"/> points into the outcome's bytes.</summary>
public readonly ref struct Reading
{
    public Reading(uint tag, Quality quality, ValueCase kind, ulong bits, ReadOnlySpan<byte> text)
    {
        Tag = tag;
        Quality = quality;
        Case = kind;
        Bits = bits;
        Text = text;
    }

    public uint Tag { get; }

    public Quality Quality { get; }

    public ValueCase Case { get; }

    /// <summary>The payload of boolean (0/1), signed, unsigned and real (IEEE bits) values.</summary>
    public ulong Bits { get; }

    public ReadOnlySpan<byte> Text { get; }

    public bool Boolean => Bits != 0;

    public long Signed => unchecked((long)Bits);

    public double Real => BitConverter.UInt64BitsToDouble(Bits);
}
