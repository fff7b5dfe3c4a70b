using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Appliance.Config.Document;

/// <summary>
/// A TOML table as the document defines it, gathered from every place Tomlyn's syntax tree writes to it
/// (its header, dotted keys, sub-table headers, an inline table). Keys keep their document order and the
/// position where each was written, so that configuration errors can point at the key itself.
/// </summary>
internal sealed class DocumentTable(TomlPosition position, DocumentTableOrigin origin) : DocumentValue(position), IEnumerable<DocumentEntry>
{
    // Most tables hold a handful of keys: they are searched in order, and the index is built only
    // once a table grows past IndexThreshold keys (a large document makes many small tables).
    private const int IndexThreshold = 8;

    private readonly List<DocumentEntry> _entries = [];
    private Dictionary<string, int>? _index;

    /// <summary>How the table came to be; the builder uses it to enforce TOML's redefinition rules.</summary>
    public DocumentTableOrigin Origin { get; private set; } = origin;

    public int Count => _entries.Count;

    public IEnumerable<string> Keys => _entries.Select(entry => entry.Key);

    public override string Describe() => "a table";

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [NotNullWhen(true)] out DocumentValue? value)
    {
        int slot = IndexOf(key);
        value = slot >= 0 ? _entries[slot].Value : null;
        return slot >= 0;
    }

    public bool TryGetEntry(string key, out DocumentEntry entry)
    {
        int slot = IndexOf(key);
        entry = slot >= 0 ? _entries[slot] : default;
        return slot >= 0;
    }

    /// <summary>Adds a key; returns false (and changes nothing) when the key is already there.</summary>
    public bool TryAdd(string key, TomlPosition keyPosition, DocumentValue value)
    {
        if (IndexOf(key) >= 0)
        {
            return false;
        }

        _entries.Add(new DocumentEntry(key, keyPosition, value));
        if (_index is not null)
        {
            _index.Add(key, _entries.Count - 1);
        }
        else if (_entries.Count > IndexThreshold)
        {
            _index = new Dictionary<string, int>(_entries.Count * 2, StringComparer.Ordinal);
            for (int i = 0; i < _entries.Count; i++)
            {
                _index.Add(_entries[i].Key, i);
            }
        }

        return true;
    }

    /// <summary>
    /// Records that a table created implicitly (by <c>[a.b]</c> for <c>a</c>) is now defined by its own
    /// header or by a dotted key: the origin changes and <see cref="DocumentValue.Position"/> moves there.
    /// </summary>
    public void Define(DocumentTableOrigin defined, TomlPosition at)
    {
        Origin = defined;
        Position = at;
    }

    public IEnumerator<DocumentEntry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_index is not null)
        {
            return _index.TryGetValue(key, out int slot) ? slot : -1;
        }

        for (int i = 0; i < _entries.Count; i++)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
