namespace Appliance.Config.Document;

/// <summary>A place in a TOML document: 1-based line and 1-based column, counted in Unicode scalar values.</summary>
public readonly record struct TomlPosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}
