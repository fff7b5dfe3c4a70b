namespace Appliance.Config.Toml;

/// <summary>The value types of TOML 1.0 (toml.io/en/v1.0.0).</summary>
public enum TomlValueKind
{
    String,
    Integer,
    Float,
    Boolean,
    OffsetDateTime,
    LocalDateTime,
    LocalDate,
    LocalTime,
    Array,
    Table,
}
