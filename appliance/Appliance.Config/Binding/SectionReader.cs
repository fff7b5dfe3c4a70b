using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Appliance.Config.Document;
using Tomlyn.Syntax;

namespace Appliance.Config.Binding;

/// <summary>
/// Reads the keys of one TOML table (a <see cref="DocumentTable"/>, whose scalars are Tomlyn's syntax nodes)
/// into typed values. Every read names the key, its default and its allowed range; a wrong type, a value
/// out of range, a missing required key and every key nobody read (a typo) becomes a <see cref="ConfigErrors"/>
/// entry at the exact line and column. The caller always gets a usable value back (the default when the
/// written one is wrong), so one pass reports every problem.
/// </summary>
internal sealed class SectionReader
{
    private static readonly string[] SecretWords = ["password", "passwd", "secret", "token", "psk", "private_key", "passphrase"];

    private readonly DocumentTable _table;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    private readonly BindingContext _context;

    public SectionReader(BindingContext context, DocumentTable table, string path)
    {
        _context = context;
        _table = table;
        Path = path;
    }

    public ConfigErrors Errors => _context.Errors;

    /// <summary>The same table, its problems reported to <paramref name="errors"/> instead (a part of the file whose mistakes are kept apart).</summary>
    public SectionReader WithErrors(ConfigErrors errors) => new(_context with { Errors = errors }, _table, Path) { SecretHint = SecretHint };

    /// <summary>The dotted TOML path of this table, "" for the root: "mqtt", "device.group".</summary>
    public string Path { get; }

    /// <summary>Directory that relative paths are resolved against: the configuration file's.</summary>
    public string BaseDirectory => _context.BaseDirectory;

    public TomlPosition Position => _table.Position;

    /// <summary>How to say where a secret belongs, for a key like "password" written inline in this table.</summary>
    public string? SecretHint { get; init; }

    /// <summary>Every key this reader was asked about, whether or not the file has it.</summary>
    public IReadOnlyCollection<string> KnownKeys => _known;

    public string Name(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key)
    {
        _known.Add(key);
        return _table.ContainsKey(key);
    }

    public TomlPosition PositionOf(string key) =>
        _table.TryGetEntry(key, out DocumentEntry entry) ? entry.Value.Position : _table.Position;

    public void Error(string key, string message) => Errors.Add(PositionOf(key), message);

    public string String(string key, string defaultValue) =>
        TryGetString(key, "a string", "\"text\"", out string? text, out _) ? text : defaultValue;

    /// <summary>A string that must be there; an error at the table's header when it is not.</summary>
    public string RequiredString(string key, string example)
    {
        if (!Has(key))
        {
            Errors.Add(Position, $"{Name(key)} is missing; add {key} = {example}");
            return string.Empty;
        }

        return String(key, string.Empty);
    }

    public long Integer(string key, long defaultValue, long min, long max)
    {
        if (!TryGet(key, "an integer", defaultValue.ToString(CultureInfo.InvariantCulture), out IntegerValueSyntax? value, out TomlPosition position))
        {
            return defaultValue;
        }

        if (value.Value < min || value.Value > max)
        {
            Errors.Add(position, min == max - 1
                ? $"{Name(key)} must be {min} or {max}, not {value.Value}"
                : $"{Name(key)} must be between {min} and {max}, not {value.Value}");
            return defaultValue;
        }

        return value.Value;
    }

    /// <summary>A float; an integer is accepted too (<c>scale = 10</c>). NaN and infinities are refused.</summary>
    public double Float(string key, double defaultValue, double min, double max)
    {
        if (!Has(key))
        {
            return defaultValue;
        }

        DocumentValue written = Value(key);
        double number;
        switch (written)
        {
            case DocumentScalar { Syntax: FloatValueSyntax f }:
                number = f.Value;
                break;
            case DocumentScalar { Syntax: IntegerValueSyntax i }:
                number = i.Value;
                break;
            default:
                WrongType(key, written, "a number", defaultValue.ToString("0.0##", CultureInfo.InvariantCulture));
                return defaultValue;
        }

        if (!double.IsFinite(number) || number < min || number > max)
        {
            Errors.Add(written.Position, $"{Name(key)} must be a finite number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, not {number.ToString(CultureInfo.InvariantCulture)}");
            return defaultValue;
        }

        return number;
    }

    public bool Boolean(string key, bool defaultValue) =>
        TryGet(key, "a boolean", defaultValue ? "true" : "false", out BooleanValueSyntax? value, out _) ? value.Value : defaultValue;

    public TimeSpan Duration(string key, TimeSpan defaultValue, TimeSpan min, TimeSpan max)
    {
        if (!TryGetString(key, "a duration in quotes", $"\"{DurationText.Format(defaultValue)}\"", out string? text, out TomlPosition position))
        {
            return defaultValue;
        }

        if (!DurationText.TryParse(text, out TimeSpan duration, out string problem))
        {
            Errors.Add(position, $"{Name(key)}: {problem}");
            return defaultValue;
        }

        if (duration < min)
        {
            Errors.Add(position, $"{Name(key)} \"{text}\" must be at least {DurationText.Format(min)}");
            return defaultValue;
        }

        if (duration > max)
        {
            Errors.Add(position, $"{Name(key)} \"{text}\" must be at most {DurationText.Format(max)}");
            return defaultValue;
        }

        return duration;
    }

    /// <summary>A size: an integer number of bytes, or a string with a unit ("256MiB").</summary>
    public long Size(string key, long defaultValue, long min, long max)
    {
        if (!Has(key))
        {
            return defaultValue;
        }

        DocumentValue written = Value(key);
        long bytes;
        switch (written)
        {
            case DocumentScalar { Syntax: IntegerValueSyntax i }:
                bytes = i.Value;
                break;
            case DocumentScalar { Syntax: StringValueSyntax s }:
                if (!SizeText.TryParse(s.Value ?? string.Empty, out bytes, out string problem))
                {
                    Errors.Add(written.Position, $"{Name(key)}: {problem}");
                    return defaultValue;
                }

                break;
            default:
                WrongType(key, written, "a size", $"\"{SizeText.Format(defaultValue)}\"");
                return defaultValue;
        }

        if (bytes < min || bytes > max)
        {
            Errors.Add(written.Position, $"{Name(key)} must be between {SizeText.Format(min)} and {SizeText.Format(max)}, not {SizeText.Format(bytes)}");
            return defaultValue;
        }

        return bytes;
    }

    /// <summary>One of a fixed set of words, compared exactly.</summary>
    public T Choice<T>(string key, T defaultValue, params (string Word, T Value)[] choices)
    {
        string defaultWord = choices.First(choice => EqualityComparer<T>.Default.Equals(choice.Value, defaultValue)).Word;
        if (!TryGetString(key, "a word in quotes", $"\"{defaultWord}\"", out string? text, out TomlPosition position))
        {
            return defaultValue;
        }

        foreach ((string word, T result) in choices)
        {
            if (word == text)
            {
                return result;
            }
        }

        string allowed = string.Join(", ", choices.Select(choice => $"\"{choice.Word}\""));
        string? close = KeySuggestion.Closest(text, choices.Select(choice => choice.Word));
        Errors.Add(position, close is null
            ? $"{Name(key)} must be one of {allowed}, not \"{text}\""
            : $"{Name(key)} must be one of {allowed}, not \"{text}\"; did you mean \"{close}\"?");
        return defaultValue;
    }

    /// <summary>A path, resolved against the configuration file's directory; null when absent or empty.</summary>
    public string? OptionalPath(string key, bool mustExist)
    {
        if (!TryGetString(key, "a string", "\"/path/to/file\"", out string? text, out TomlPosition position) || text.Length == 0)
        {
            return null;
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            Errors.Add(position, $"{Name(key)} contains a NUL character");
            return null;
        }

        string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(BaseDirectory, text));
        if (mustExist && !File.Exists(full))
        {
            Errors.Add(position, $"{Name(key)}: file \"{full}\" does not exist; create it or correct the path");
        }

        return full;
    }

    /// <summary>A sub-table (<c>[mqtt.tls]</c>); an empty one when the file has none, so defaults apply.</summary>
    /// <param name="secretHint">Where secrets belong, for a "password" key written inline in that table.</param>
    public SectionReader Table(string key, string? secretHint = null)
    {
        DocumentTable? table = TryGet(key, "a table", "{ }", out DocumentTable? written) ? written : null;
        return new SectionReader(_context, table ?? new DocumentTable(PositionOf(key), DocumentTableOrigin.Implicit), Name(key))
        {
            SecretHint = secretHint,
        };
    }

    /// <summary>An array of tables (<c>[[device]]</c>); empty when the file has none.</summary>
    public IReadOnlyList<SectionReader> Tables(string key)
    {
        if (!Has(key))
        {
            return [];
        }

        DocumentValue written = Value(key);
        if (written is DocumentTable)
        {
            Errors.Add(written.Position, $"{Name(key)} must be a list of tables: write [[{Name(key)}]] with double brackets, once per entry");
            return [];
        }

        if (written is not DocumentArray array)
        {
            WrongType(key, written, "an array of tables", $"[[{Name(key)}]]");
            return [];
        }

        var sections = new List<SectionReader>(array.Count);
        foreach (DocumentValue item in array)
        {
            if (item is DocumentTable table)
            {
                sections.Add(new SectionReader(_context, table, Name(key)));
            }
            else
            {
                Errors.Add(item.Position, $"{Name(key)} must hold only tables, not {item.Describe()}");
            }
        }

        return sections;
    }

    /// <summary>
    /// A list of strings, each with its position (for messages about one item); null when the key is absent, or when
    /// it is not an array of strings (reported).
    /// </summary>
    public IReadOnlyList<(string Text, TomlPosition Position)>? Strings(string key, string example)
    {
        _known.Add(key);
        if (!Has(key))
        {
            return null;
        }

        DocumentValue written = Value(key);
        if (written is not DocumentArray { IsArrayOfTables: false } array)
        {
            WrongType(key, written, "a list of strings", example);
            return null;
        }

        var items = new List<(string, TomlPosition)>(array.Count);
        foreach (DocumentValue item in array)
        {
            if (item is not DocumentScalar { Syntax: StringValueSyntax text })
            {
                Errors.Add(item.Position, $"{Name(key)} must hold only strings, not {item.Describe()}; write it like {key} = {example}");
                return null;
            }

            items.Add((text.Value ?? string.Empty, item.Position));
        }

        return items;
    }

    /// <summary>Reports every key of the table that no read asked for: a typo, or a setting that does not exist.</summary>
    public void Finish()
    {
        _context.Finished?.Invoke(this);
        foreach (DocumentEntry entry in _table)
        {
            if (_known.Contains(entry.Key))
            {
                continue;
            }

            string where = Path.Length == 0 ? "at the top level" : $"in [{Path}]";
            if (IsSecretWord(entry.Key))
            {
                Errors.Add(entry.KeyPosition, $"\"{entry.Key}\" cannot be written in the configuration: secrets are never inline. "
                    + (SecretHint ?? "Put it in a file readable only by the appliance and name that file instead"));
                continue;
            }

            string? close = KeySuggestion.Closest(entry.Key, _known);
            string kind = entry.Value is DocumentTable && Path.Length == 0 ? "section" : "key";
            Errors.Add(entry.KeyPosition, close is not null
                ? $"unknown {kind} \"{entry.Key}\" {where}; did you mean \"{close}\"?"
                : $"unknown {kind} \"{entry.Key}\" {where}; known keys are {string.Join(", ", _known.Order(StringComparer.Ordinal))}");
        }
    }

    private static bool IsSecretWord(string key)
    {
        string lower = key.ToLowerInvariant();
        return !lower.EndsWith("_file", StringComparison.Ordinal) && SecretWords.Any(word => lower.Contains(word, StringComparison.Ordinal));
    }

    private DocumentValue Value(string key)
    {
        _table.TryGetValue(key, out DocumentValue? value);
        return value!;
    }

    /// <summary>The value of <paramref name="key"/> when the file has it and it is a <typeparamref name="T"/>; otherwise false, and a wrong type is reported.</summary>
    private bool TryGet<T>(string key, string expected, string example, [NotNullWhen(true)] out T? value)
        where T : DocumentValue
    {
        value = null;
        if (!Has(key))
        {
            return false;
        }

        DocumentValue written = Value(key);
        if (written is T typed)
        {
            value = typed;
            return true;
        }

        WrongType(key, written, expected, example);
        return false;
    }

    /// <summary>The scalar of <paramref name="key"/> when the file has it and it is a <typeparamref name="T"/> (Tomlyn's syntax node), and where it is written.</summary>
    private bool TryGet<T>(string key, string expected, string example, [NotNullWhen(true)] out T? value, out TomlPosition position)
        where T : ValueSyntax
    {
        value = null;
        position = default;
        if (!TryGet(key, expected, example, out DocumentScalar? scalar))
        {
            return false;
        }

        position = scalar.Position;
        if (scalar.Syntax is T typed)
        {
            value = typed;
            return true;
        }

        WrongType(key, scalar, expected, example);
        return false;
    }

    private bool TryGetString(string key, string expected, string example, [NotNullWhen(true)] out string? text, out TomlPosition position)
    {
        bool found = TryGet(key, expected, example, out StringValueSyntax? value, out position);
        text = value?.Value ?? string.Empty;
        return found;
    }

    private void WrongType(string key, DocumentValue written, string expected, string example)
    {
        string hint = written is DocumentScalar { Syntax: StringValueSyntax s } && !expected.Contains("quotes", StringComparison.Ordinal) && expected != "a string"
            ? expected.StartsWith("a list", StringComparison.Ordinal)
                ? $"; put it in brackets, {key} = [\"{Shorten(s.Value ?? string.Empty)}\"], or write it like {key} = {example}"
                : $"; remove the quotes around \"{Shorten(s.Value ?? string.Empty)}\" or write it like {key} = {example}"
            : $"; write it like {key} = {example}";
        Errors.Add(written.Position, $"{Name(key)} must be {expected}, not {written.Describe()}{hint}");
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");
}
