using Tomlyn.Syntax;

namespace Appliance.Config.Document;

/// <summary>
/// Gathers Tomlyn's syntax tree into <see cref="DocumentTable"/>s: the keys of a TOML table are spread over
/// its header, dotted keys, sub-table headers and arrays of tables, and the binding wants one table with
/// every key, the position of each key and the position of each value.
/// </summary>
/// <remarks>
/// Tomlyn has already validated the tree (duplicate keys, redefined tables). The builder applies TOML's
/// table rules once more as it assembles the tables, so a conflict Tomlyn let through is reported here
/// instead of being merged silently. It also holds the two limits Tomlyn does not:
/// <list type="bullet">
/// <item>Nesting: every key segment is one level deeper than its table, and an element of an array (of
/// tables, or static) one level deeper than the array; nothing may be deeper than <see cref="DocumentReader.MaxDepth"/>.
/// Tomlyn counts only arrays and inline tables, so a 100,000-segment dotted key or table header passes it.</item>
/// <item>Integers: Tomlyn wraps a hexadecimal or binary integer between 2^63 and 2^64 - 1 around to a
/// negative number; TOML requires such a value to be refused (TOML 1.0.0, "Integer": "the full 64-bit range").</item>
/// </list>
/// Recursion follows arrays and inline tables only, which Tomlyn has limited to <see cref="DocumentReader.MaxDepth"/> + 1 levels.
/// </remarks>
internal sealed class DocumentBuilder
{
    private readonly string _file;
    private readonly List<ConfigDiagnostic> _problems;

    private DocumentBuilder(string file, List<ConfigDiagnostic> problems)
    {
        _file = file;
        _problems = problems;
    }

    /// <summary>The root table of <paramref name="syntax"/>; every conflict or limit it breaks is added to <paramref name="problems"/>.</summary>
    public static DocumentTable Build(DocumentSyntax syntax, string file, List<ConfigDiagnostic> problems)
    {
        var builder = new DocumentBuilder(file, problems);
        var root = new DocumentTable(new TomlPosition(1, 1), DocumentTableOrigin.Root);
        foreach (KeyValueSyntax keyValue in syntax.KeyValues)
        {
            builder.AddKeyValue(root, 0, keyValue);
        }

        foreach (TableSyntaxBase header in syntax.Tables)
        {
            if (builder.OpenTable(root, header) is (DocumentTable table, int level))
            {
                foreach (KeyValueSyntax keyValue in header.Items)
                {
                    builder.AddKeyValue(table, level, keyValue);
                }
            }
        }

        return root;
    }

    // [a.b.c] and [[a.b.c]]: a and b are walked (and created as implicit tables when missing); c is defined,
    // or gets a new element. A path through an array of tables goes to its newest element.
    private (DocumentTable Table, int Level)? OpenTable(DocumentTable root, TableSyntaxBase header)
    {
        bool isArray = header is TableArraySyntax;
        TomlPosition headerPosition = PositionOf(header);
        if (!TryGetSegments(header.Name, header, out List<Segment> key))
        {
            return null;
        }

        string written = isArray ? $"[[{FormatKey(key, key.Count)}]]" : $"[{FormatKey(key, key.Count)}]";
        DocumentTable table = root;
        int level = 0;
        for (int i = 0; i < key.Count - 1; i++)
        {
            Segment segment = key[i];
            if (!CheckLevel(++level, segment.Position))
            {
                return null;
            }

            if (!table.TryGetEntry(segment.Name, out DocumentEntry entry))
            {
                var created = new DocumentTable(segment.Position, DocumentTableOrigin.Implicit);
                table.TryAdd(segment.Name, segment.Position, created);
                table = created;
            }
            else if (entry.Value is DocumentTable { Origin: not DocumentTableOrigin.Inline } existing)
            {
                table = existing;
            }
            else if (entry.Value is DocumentArray { IsArrayOfTables: true, Count: > 0 } tables && tables[^1] is DocumentTable newest)
            {
                if (!CheckLevel(++level, segment.Position))
                {
                    return null;
                }

                table = newest;
            }
            else
            {
                Problem(segment.Position, $"{written} cannot use {FormatKey(key, i + 1)} as a table: it already holds {entry.Value.Describe()} (defined at {entry.KeyPosition}), which is complete as written");
                return null;
            }
        }

        Segment last = key[^1];
        if (!CheckLevel(++level, last.Position))
        {
            return null;
        }

        table.TryGetEntry(last.Name, out DocumentEntry defined);
        switch (defined.Value)
        {
            case null when isArray:
                var newArray = new DocumentArray(headerPosition, isArrayOfTables: true);
                table.TryAdd(last.Name, last.Position, newArray);
                return AppendElement(newArray, level, last, headerPosition);
            case DocumentArray { IsArrayOfTables: true } tables when isArray:
                return AppendElement(tables, level, last, headerPosition);
            case null:
                var newTable = new DocumentTable(headerPosition, DocumentTableOrigin.Header);
                table.TryAdd(last.Name, last.Position, newTable);
                return (newTable, level);
            case DocumentTable { Origin: DocumentTableOrigin.Implicit } implicitTable when !isArray:
                implicitTable.Define(DocumentTableOrigin.Header, headerPosition);
                return (implicitTable, level);
            default:
                Problem(headerPosition, $"{written} cannot be defined here: {FormatKey(key, key.Count)} already holds {defined.Value.Describe()} (defined at {defined.KeyPosition}); a table is defined once, and inline tables and arrays are complete as written");
                return null;
        }
    }

    private (DocumentTable Table, int Level)? AppendElement(DocumentArray tables, int level, Segment last, TomlPosition headerPosition)
    {
        if (!CheckLevel(level + 1, last.Position))
        {
            return null;
        }

        var element = new DocumentTable(headerPosition, DocumentTableOrigin.ArrayElement);
        tables.Add(element);
        return (element, level + 1);
    }

    // a.b.c = value: a and b are tables that dotted keys create or pass through; c must be new.
    private void AddKeyValue(DocumentTable table, int level, KeyValueSyntax? keyValue)
    {
        if (keyValue is null || !TryGetSegments(keyValue.Key, keyValue, out List<Segment> key))
        {
            return;
        }

        for (int j = 0; j < key.Count; j++)
        {
            if (!CheckLevel(level + j + 1, key[j].Position))
            {
                return;
            }
        }

        DocumentTable parent = table;
        for (int i = 0; i < key.Count - 1; i++)
        {
            DocumentTable? next = DescendDottedKey(parent, key, i);
            if (next is null)
            {
                return;
            }

            parent = next;
        }

        Segment leaf = key[^1];
        if (parent.TryGetEntry(leaf.Name, out DocumentEntry existing))
        {
            Problem(leaf.Position, $"duplicate key {FormatKey(key, key.Count)}: it was first defined at {existing.KeyPosition}; remove or rename one of them");
            return;
        }

        if (Convert(keyValue.Value, level + key.Count, PositionOf(keyValue)) is DocumentValue value)
        {
            parent.TryAdd(leaf.Name, leaf.Position, value);
        }
    }

    private DocumentTable? DescendDottedKey(DocumentTable parent, List<Segment> key, int index)
    {
        Segment segment = key[index];
        if (!parent.TryGetEntry(segment.Name, out DocumentEntry entry))
        {
            var created = new DocumentTable(segment.Position, DocumentTableOrigin.DottedKey);
            parent.TryAdd(segment.Name, segment.Position, created);
            return created;
        }

        switch (entry.Value)
        {
            case DocumentTable { Origin: DocumentTableOrigin.DottedKey } table:
                return table;
            case DocumentTable { Origin: DocumentTableOrigin.Implicit } table:
                table.Define(DocumentTableOrigin.DottedKey, segment.Position);
                return table;
            case DocumentTable table:
                Problem(segment.Position, $"key {FormatKey(key, index + 1)} is a table defined at {table.Position} ({(table.Origin == DocumentTableOrigin.Inline ? "an inline table, complete as written" : "by a header")}); a dotted key cannot add to it");
                return null;
            default:
                Problem(segment.Position, $"key {FormatKey(key, index + 1)} already holds {entry.Value.Describe()} (defined at {entry.KeyPosition}), so it cannot be a table in a dotted key");
                return null;
        }
    }

    /// <summary>The value of a key at nesting <paramref name="level"/>; null (and a problem) when it breaks a limit.</summary>
    private DocumentValue? Convert(ValueSyntax? syntax, int level, TomlPosition fallback)
    {
        switch (syntax)
        {
            case null:
                Problem(fallback, "a value is missing; write one after the '='");
                return null;
            case ArraySyntax array:
                var items = new DocumentArray(PositionOf(array));
                foreach (ArrayItemSyntax item in array.Items)
                {
                    TomlPosition at = PositionOf(item);
                    if (!CheckLevel(level + 1, at) || Convert(item.Value, level + 1, at) is not DocumentValue element)
                    {
                        return null;
                    }

                    items.Add(element);
                }

                return items;
            case InlineTableSyntax inline:
                var table = new DocumentTable(PositionOf(inline), DocumentTableOrigin.Inline);
                int before = _problems.Count;
                foreach (InlineTableItemSyntax item in inline.Items)
                {
                    AddKeyValue(table, level, item.KeyValue);
                }

                return _problems.Count == before ? table : null;
            case IntegerValueSyntax { Value: < 0, Token.Text: [ '0', 'x' or 'o' or 'b', ..] text } integer:
                // Hexadecimal, octal and binary integers have no sign: a negative value is one that wrapped around.
                Problem(PositionOf(integer), $"integer {text} is out of the 64-bit range; the largest is 0x7FFF_FFFF_FFFF_FFFF (9223372036854775807)");
                return null;
            default:
                return new DocumentScalar(syntax, PositionOf(syntax));
        }
    }

    private bool CheckLevel(int level, TomlPosition position)
    {
        if (level <= DocumentReader.MaxDepth)
        {
            return true;
        }

        Problem(position, DocumentReader.TooDeep);
        return false;
    }

    private bool TryGetSegments(KeySyntax? key, SyntaxNode owner, out List<Segment> segments)
    {
        segments = [];
        if (key is not null && AddSegment(segments, key.Key))
        {
            foreach (DottedKeyItemSyntax dotted in key.DotKeys)
            {
                if (!AddSegment(segments, dotted.Key))
                {
                    break;
                }
            }

            if (segments.Count == 1 + key.DotKeys.ChildrenCount)
            {
                return true;
            }
        }

        Problem(PositionOf(owner), "a key is missing or malformed here");
        return false;
    }

    private static bool AddSegment(List<Segment> segments, BareKeyOrStringValueSyntax? key)
    {
        string? name = key switch
        {
            BareKeySyntax bare => bare.Key?.Text,
            StringValueSyntax quoted => quoted.Value,
            _ => null,
        };
        if (name is null)
        {
            return false;
        }

        segments.Add(new Segment(name, PositionOf(key!)));
        return true;
    }

    private void Problem(TomlPosition position, string message) =>
        _problems.Add(new ConfigDiagnostic(_file, position.Line, position.Column, message));

    /// <summary>Tomlyn's zero-based line and column of a node's start, as a 1-based position.</summary>
    internal static TomlPosition PositionOf(SyntaxNodeBase node) =>
        new(Math.Max(0, node.Span.Start.Line) + 1, Math.Max(0, node.Span.Start.Column) + 1);

    /// <summary>The first <paramref name="count"/> segments as TOML would write them: <c>a."b c".d</c>.</summary>
    private static string FormatKey(List<Segment> key, int count) =>
        string.Join('.', key.Take(count).Select(segment => IsBare(segment.Name) ? segment.Name : Quote(segment.Name)));

    private static bool IsBare(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Quote(string name) =>
        "\"" + string.Concat(name.Select(c => c switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            < ' ' or '\u007F' => $"\\u{(int)c:X4}",
            _ => c.ToString(),
        })) + "\"";

    /// <summary>One part of a dotted key and where it was written.</summary>
    private readonly record struct Segment(string Name, TomlPosition Position);
}
