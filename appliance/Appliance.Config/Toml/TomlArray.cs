using System.Collections;

namespace Appliance.Config.Toml;

/// <summary>A TOML array: static (<c>[1, 2]</c>) or an array of tables (<c>[[name]]</c>).</summary>
public sealed class TomlArray(TomlPosition position, bool isArrayOfTables = false) : TomlValue(position), IReadOnlyList<TomlValue>
{
    private readonly List<TomlValue> _items = [];

    /// <summary>True when the array was made by <c>[[header]]</c> sections and may still be appended to.</summary>
    public bool IsArrayOfTables { get; } = isArrayOfTables;

    public override TomlValueKind Kind => TomlValueKind.Array;

    public int Count => _items.Count;

    public TomlValue this[int index] => _items[index];

    public void Add(TomlValue value) => _items.Add(value);

    public IEnumerator<TomlValue> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
