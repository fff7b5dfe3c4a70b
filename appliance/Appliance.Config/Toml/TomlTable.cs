using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Appliance.Config.Toml;

/// <summary>
/// A TOML table. Keys keep their document order and the position where each was written, so that
/// configuration errors can point at the key itself.
/// </summary>
public sealed class TomlTable(TomlPosition position, TomlTableOrigin origin = TomlTableOrigin.Header) : TomlValue(position), IEnumerable<TomlTableEntry>
{
    // Most tables hold a handful of keys: they are searched in order, and the index is built only
    // once a table grows past IndexThreshold keys (parsing a large document makes many small tables).
    private const int IndexThreshold = 8;

    private readonly List<TomlTableEntry> _entries = [];
    private Dictionary<string, int>? _index;

    public override TomlValueKind Kind => TomlValueKind.Table;

    /// <summary>How the table came to be; the parser uses it to enforce TOML's redefinition rules.</summary>
    public TomlTableOrigin Origin { get; set; } = origin;

    public int Count => _entries.Count;

    public IEnumerable<string> Keys => _entries.Select(entry => entry.Key);

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [NotNullWhen(true)] out TomlValue? value)
    {
        int slot = IndexOf(key);
        if (slot >= 0)
        {
            value = _entries[slot].Value;
            return true;
        }

        value = null;
        return false;
    }

    public bool TryGetEntry(string key, out TomlTableEntry entry)
    {
        int slot = IndexOf(key);
        if (slot >= 0)
        {
            entry = _entries[slot];
            return true;
        }

        entry = default;
        return false;
    }

    /// <summary>Adds a key; returns false (and changes nothing) when the key is already there.</summary>
    public bool TryAdd(string key, TomlPosition keyPosition, TomlValue value)
    {
        if (IndexOf(key) >= 0)
        {
            return false;
        }

        _entries.Add(new TomlTableEntry(key, keyPosition, value));
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

    /// <summary>
    /// Records that a table created implicitly (by <c>[a.b]</c> for <c>a</c>) is now defined by its own
    /// header or by a dotted key: the origin changes and <see cref="TomlValue.Position"/> moves there.
    /// </summary>
    internal void Define(TomlTableOrigin origin, TomlPosition position)
    {
        Origin = origin;
        Position = position;
    }

    public IEnumerator<TomlTableEntry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>One key of a table, where it was written, and its value.</summary>
public readonly record struct TomlTableEntry(string Key, TomlPosition KeyPosition, TomlValue Value);

/// <summary>How a table was created (TOML 1.0, "Table" and "Inline Table" sections).</summary>
public enum TomlTableOrigin
{
    /// <summary>The root table of the document.</summary>
    Root,

    /// <summary>Defined by a <c>[header]</c>; cannot be defined again.</summary>
    Header,

    /// <summary>Created implicitly as a parent of a header (<c>[a.b]</c> creates <c>a</c>); a later <c>[a]</c> may define it.</summary>
    Implicit,

    /// <summary>Created by a dotted key (<c>a.b = 1</c>); cannot be reopened with a header.</summary>
    DottedKey,

    /// <summary>An inline table <c>{ ... }</c>; sealed, nothing may be added later.</summary>
    Inline,

    /// <summary>An element of an array of tables, made by <c>[[header]]</c>.</summary>
    ArrayElement,
}
