namespace Appliance.Wasm;

/// <summary>A function signature, compared structurally (Core spec 2.3.5).</summary>
public sealed class FunctionType : IEquatable<FunctionType>
{
    public FunctionType(ValueKind[] parameters, ValueKind[] results)
    {
        Parameters = parameters;
        Results = results;
    }

    public IReadOnlyList<ValueKind> Parameters { get; }

    public IReadOnlyList<ValueKind> Results { get; }

    public bool Equals(FunctionType? other) =>
        other is not null && Parameters.SequenceEqual(other.Parameters) && Results.SequenceEqual(other.Results);

    public override bool Equals(object? obj) => Equals(obj as FunctionType);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (ValueKind type in Parameters)
        {
            hash.Add(type);
        }

        hash.Add(-1);
        foreach (ValueKind type in Results)
        {
            hash.Add(type);
        }

        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"({string.Join(' ', Parameters.Select(type => type.Name()))}) -> ({string.Join(' ', Results.Select(type => type.Name()))})";
}
