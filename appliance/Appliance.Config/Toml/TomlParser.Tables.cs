namespace Appliance.Config.Toml;

public static partial class TomlParser
{
    // std-table   = "[" ws key ws "]"        [server.http]
    // array-table = "[[" ws key ws "]]"      [[server.listener]]
    //
    // The redefinition rules (TOML 1.0.0, "Table" and "Array of Tables"), as toml-test checks them:
    // * [a.b] creates a and any other missing parent as Implicit tables; a later [a] may define one once.
    // * A table is defined by at most one header: [a] ... [a] is an error.
    // * A table made by dotted keys (a.b = 1) cannot be reopened by [a], but [a.c] may add a sub-table.
    // * Inline tables and static arrays (x = [...]) are complete as written: no header reaches into them.
    // * [[a]] appends to an array of tables; a path through it ([a.b]) goes to its newest element.
    // * Dotted keys (below) create tables or pass through ones that dotted keys or an implicit parent
    //   made, never into a table defined by a header, an inline table or an array.
    //
    // Levels, for TomlLimits.MaxDepth: every key segment is one level deeper than its table, and an
    // element of an array (of tables, or static) is one level deeper than the array.
    private static TomlSection ParseTableHeader(ref TomlScanner s, TomlTable root)
    {
        int headerOffset = s.Offset;
        TomlPosition headerPosition = s.Position;
        bool isArray = s.PeekAt(1) == '[';
        s.Advance(isArray ? 2 : 1);
        SkipWhitespace(ref s);
        ParseKey(ref s, 0);
        List<TomlKeySegment> key = s.Key;
        if (s.Peek() != ']')
        {
            FailUnexpected(ref s, s.Offset, $"expected '{(isArray ? "]]" : "]")}' to close the table header {Header(key, isArray)}");
        }

        if (isArray && s.PeekAt(1) != ']')
        {
            FailUnexpected(ref s, s.Offset + 1, $"expected ']]' to close the table header {Header(key, isArray)}");
        }

        s.Advance(isArray ? 2 : 1);

        // Walk to the parent of the last segment, creating implicit tables on the way.
        TomlTable table = root;
        int level = 0;
        for (int i = 0; i < key.Count - 1; i++)
        {
            TomlKeySegment segment = key[i];
            level = CheckLevel(ref s, level + 1, segment.Offset);
            if (!table.TryGetEntry(segment.Name, out TomlTableEntry entry))
            {
                var created = new TomlTable(segment.Position, TomlTableOrigin.Implicit);
                table.TryAdd(segment.Name, segment.Position, created);
                table = created;
            }
            else if (entry.Value is TomlTable existing)
            {
                if (existing.Origin == TomlTableOrigin.Inline)
                {
                    s.Fail(
                        TomlErrorCode.TableRedefinition,
                        segment.Offset,
                        $"{Header(key, isArray)} cannot add to {QuoteKey(key, i + 1)}: it is an inline table (defined at {entry.KeyPosition}), and inline tables are complete as written");
                }

                table = existing;
            }
            else if (entry.Value is TomlArray { IsArrayOfTables: true, Count: > 0 } tables)
            {
                level = CheckLevel(ref s, level + 1, segment.Offset);
                table = (TomlTable)tables[^1];
            }
            else
            {
                s.Fail(
                    TomlErrorCode.TableRedefinition,
                    segment.Offset,
                    $"{Header(key, isArray)} cannot use {QuoteKey(key, i + 1)} as a table: it already holds {entry.Value.Describe()} (defined at {entry.KeyPosition})");
            }
        }

        TomlKeySegment last = key[^1];
        level = CheckLevel(ref s, level + 1, last.Offset);
        return isArray
            ? AppendArrayElement(ref s, table, last, level, headerOffset, headerPosition)
            : DefineTable(ref s, table, last, level, headerOffset, headerPosition);
    }

    private static TomlSection DefineTable(
        ref TomlScanner s,
        TomlTable parent,
        TomlKeySegment last,
        int level,
        int headerOffset,
        TomlPosition headerPosition)
    {
        if (!parent.TryGetEntry(last.Name, out TomlTableEntry entry))
        {
            var defined = new TomlTable(headerPosition, TomlTableOrigin.Header);
            parent.TryAdd(last.Name, last.Position, defined);
            return new TomlSection(defined, level);
        }

        if (entry.Value is TomlTable { Origin: TomlTableOrigin.Implicit } implicitTable)
        {
            implicitTable.Define(TomlTableOrigin.Header, headerPosition);
            return new TomlSection(implicitTable, level);
        }

        string header = Header(s.Key, isArray: false);
        string reason;
        switch (entry.Value)
        {
            case TomlTable { Origin: TomlTableOrigin.DottedKey } dotted:
                reason = $"table {header} was already defined by the dotted key at {dotted.Position}; a header cannot reopen it";
                break;
            case TomlTable { Origin: TomlTableOrigin.Inline }:
                reason = $"table {header} was already defined as an inline table at {entry.KeyPosition}; inline tables are complete as written";
                break;
            case TomlTable existing:
                reason = $"table {header} is defined twice: first at {existing.Position}";
                break;
            case TomlArray { IsArrayOfTables: true } tables:
                reason = $"{header} names an array of tables (first [[...]] at {tables.Position}); write [{header}] to add an element";
                break;
            default:
                reason = $"{header} cannot define a table there: the key already holds {entry.Value.Describe()} (defined at {entry.KeyPosition})";
                break;
        }

        throw s.Error(TomlErrorCode.TableRedefinition, headerOffset, reason);
    }

    private static TomlSection AppendArrayElement(
        ref TomlScanner s,
        TomlTable parent,
        TomlKeySegment last,
        int level,
        int headerOffset,
        TomlPosition headerPosition)
    {
        TomlArray tables;
        if (!parent.TryGetEntry(last.Name, out TomlTableEntry entry))
        {
            tables = new TomlArray(headerPosition, isArrayOfTables: true);
            parent.TryAdd(last.Name, last.Position, tables);
        }
        else if (entry.Value is TomlArray { IsArrayOfTables: true } existing)
        {
            tables = existing;
        }
        else
        {
            string header = Header(s.Key, isArray: true);
            string reason = entry.Value switch
            {
                TomlArray => $"{header} cannot append to the static array defined at {entry.KeyPosition}; an array written as [ ... ] is complete",
                TomlTable => $"{header} cannot turn the table defined at {entry.KeyPosition} into an array of tables",
                _ => $"{header} cannot make an array of tables there: the key already holds {entry.Value.Describe()} (defined at {entry.KeyPosition})",
            };
            throw s.Error(TomlErrorCode.TableRedefinition, headerOffset, reason);
        }

        level = CheckLevel(ref s, level + 1, last.Offset);
        var element = new TomlTable(headerPosition, TomlTableOrigin.ArrayElement);
        tables.Add(element);
        return new TomlSection(element, level);
    }

    // keyval     = key keyval-sep val        host.name = "gateway"
    // keyval-sep = ws "=" ws
    //
    // Every segment but the last names a table: missing ones are created (DottedKey), implicit ones
    // become defined. Dotted keys may not reach into a table defined by a header, an inline table,
    // an array or a plain value.
    private static void ParseKeyValue(ref TomlScanner s, TomlTable table, int level)
    {
        ParseKey(ref s, level);
        List<TomlKeySegment> key = s.Key;
        if (s.Peek() != '=')
        {
            FailUnexpected(ref s, s.Offset, $"expected \"=\" after the key {QuoteKey(key, key.Count)}");
        }

        s.Advance();
        SkipWhitespace(ref s);

        TomlTable parent = table;
        for (int i = 0; i < key.Count - 1; i++)
        {
            parent = DescendDottedKey(ref s, parent, key, i);
        }

        TomlKeySegment leaf = key[^1];
        if (parent.TryGetEntry(leaf.Name, out TomlTableEntry existing))
        {
            s.Fail(
                TomlErrorCode.DuplicateKey,
                leaf.Offset,
                $"duplicate key {QuoteKey(key, key.Count)}: it was first defined at {existing.KeyPosition}");
        }

        int valueLevel = level + key.Count;

        // The value may hold inline tables, whose keys reuse s.Key: leaf is a copy.
        TomlValue value = ParseValue(ref s, valueLevel);
        parent.TryAdd(leaf.Name, leaf.Position, value);
    }

    private static TomlTable DescendDottedKey(ref TomlScanner s, TomlTable parent, List<TomlKeySegment> key, int index)
    {
        TomlKeySegment segment = key[index];
        if (!parent.TryGetEntry(segment.Name, out TomlTableEntry entry))
        {
            var created = new TomlTable(segment.Position, TomlTableOrigin.DottedKey);
            parent.TryAdd(segment.Name, segment.Position, created);
            return created;
        }

        if (entry.Value is not TomlTable table)
        {
            throw s.Error(
                TomlErrorCode.DuplicateKey,
                segment.Offset,
                $"key {QuoteKey(key, index + 1)} already holds {entry.Value.Describe()} (defined at {entry.KeyPosition}), so it cannot be a table in a dotted key");
        }

        switch (table.Origin)
        {
            case TomlTableOrigin.DottedKey:
                return table;
            case TomlTableOrigin.Implicit:
                table.Define(TomlTableOrigin.DottedKey, segment.Position);
                return table;
            case TomlTableOrigin.Inline:
                throw s.Error(
                    TomlErrorCode.TableRedefinition,
                    segment.Offset,
                    $"key {QuoteKey(key, index + 1)} is an inline table (defined at {entry.KeyPosition}); inline tables are complete as written and dotted keys cannot add to them");
            default:
                throw s.Error(
                    TomlErrorCode.TableRedefinition,
                    segment.Offset,
                    $"key {QuoteKey(key, index + 1)} is a table defined by a header at {table.Position}; dotted keys under another header cannot add to it");
        }
    }

    /// <summary>The header as written, for messages: <c>[a.b]</c> or <c>[[a.b]]</c>.</summary>
    private static string Header(List<TomlKeySegment> key, bool isArray) =>
        isArray ? $"[[{FormatKey(key, key.Count)}]]" : $"[{FormatKey(key, key.Count)}]";

    /// <summary>Returns <paramref name="level"/> if it is within the limit, or fails at <paramref name="offset"/>.</summary>
    private static int CheckLevel(ref TomlScanner s, int level, int offset)
    {
        if (level > s.MaxDepth)
        {
            FailTooDeep(ref s, offset);
        }

        return level;
    }
}
