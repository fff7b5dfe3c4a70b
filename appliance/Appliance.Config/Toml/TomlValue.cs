namespace Appliance.Config.Toml;

/// <summary>A value in a parsed TOML document, with the position where it starts.</summary>
public abstract class TomlValue
{
    protected TomlValue(TomlPosition position) => Position = position;

    /// <summary>Where the value starts; for a table, where its header (or first defining key) is.</summary>
    public TomlPosition Position { get; private protected set; }

    public abstract TomlValueKind Kind { get; }

    /// <summary>A short English name of the type, for messages: "a string", "an integer", "a table".</summary>
    public string Describe() => Describe(Kind);

    public static string Describe(TomlValueKind kind) => kind switch
    {
        TomlValueKind.String => "a string",
        TomlValueKind.Integer => "an integer",
        TomlValueKind.Float => "a float",
        TomlValueKind.Boolean => "a boolean",
        TomlValueKind.OffsetDateTime => "an offset date-time",
        TomlValueKind.LocalDateTime => "a local date-time",
        TomlValueKind.LocalDate => "a local date",
        TomlValueKind.LocalTime => "a local time",
        TomlValueKind.Array => "an array",
        TomlValueKind.Table => "a table",
        _ => kind.ToString(),
    };
}

public sealed class TomlString(string value, TomlPosition position) : TomlValue(position)
{
    public string Value { get; } = value;

    public override TomlValueKind Kind => TomlValueKind.String;
}

public sealed class TomlInteger(long value, TomlPosition position) : TomlValue(position)
{
    public long Value { get; } = value;

    public override TomlValueKind Kind => TomlValueKind.Integer;
}

public sealed class TomlFloat(double value, TomlPosition position) : TomlValue(position)
{
    public double Value { get; } = value;

    public override TomlValueKind Kind => TomlValueKind.Float;
}

public sealed class TomlBoolean(bool value, TomlPosition position) : TomlValue(position)
{
    public bool Value { get; } = value;

    public override TomlValueKind Kind => TomlValueKind.Boolean;
}

/// <summary>Any of the four date/time types; <see cref="TomlDateTimeValue.Kind"/> says which.</summary>
public sealed class TomlDateTime(TomlDateTimeValue value, TomlPosition position) : TomlValue(position)
{
    public TomlDateTimeValue Value { get; } = value;

    public override TomlValueKind Kind => Value.Kind;
}
