using System.Collections;

namespace Appliance.Config.Document;

/// <summary>A TOML array: static (<c>[1, 2]</c>) or an array of tables (<c>[[name]]</c>).</summary>
internal sealed class DocumentArray(TomlPosition position, bool isArrayOfTables = false) : DocumentValue(position), IReadOnlyList<DocumentValue>
{
    private readonly List<DocumentValue> _items = [];

    /// <summary>True when the array was made by <c>[[header]]</c> sections and may still be appended to.</summary>
    public bool IsArrayOfTables { get; } = isArrayOfTables;

    public int Count => _items.Count;

    public DocumentValue this[int index] => _items[index];

    public void Add(DocumentValue value) => _items.Add(value);

    public override string Describe() => "an array";

    public IEnumerator<DocumentValue> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
