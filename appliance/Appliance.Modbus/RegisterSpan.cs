namespace Appliance.Modbus;

/// <summary>The registers one tag occupies: <see cref="Count"/> consecutive registers from protocol address <see cref="Address"/>.</summary>
public readonly record struct RegisterSpan(int Address, int Count)
{
    /// <summary>The first register after the span.</summary>
    public int End => Address + Count;

    public override string ToString() => $"{Address}+{Count}";
}
