namespace Appliance.Config.Toml;

/// <summary>Why a TOML document was rejected. Each code maps to one kind of message.</summary>
public enum TomlErrorCode
{
    /// <summary>The input is larger than <see cref="TomlLimits.MaxInputBytes"/>.</summary>
    InputTooLarge,

    /// <summary>The bytes are not valid UTF-8.</summary>
    InvalidUtf8,

    /// <summary>A control character appears where TOML forbids it (outside comments and strings, or a bare CR).</summary>
    ControlCharacter,

    /// <summary>Arrays, inline tables or dotted keys nest deeper than <see cref="TomlLimits.MaxDepth"/>.</summary>
    NestingTooDeep,

    /// <summary>Something other than what the grammar allows here.</summary>
    UnexpectedCharacter,

    /// <summary>The input ended inside a construct (string, array, inline table, header).</summary>
    UnexpectedEnd,

    /// <summary>A key is missing, empty where not allowed, or malformed.</summary>
    InvalidKey,

    /// <summary>A malformed string or escape sequence.</summary>
    InvalidString,

    /// <summary>A malformed or out-of-range integer.</summary>
    InvalidInteger,

    /// <summary>A malformed float.</summary>
    InvalidFloat,

    /// <summary>A malformed or impossible date, time or offset.</summary>
    InvalidDateTime,

    /// <summary>A value that is none of the TOML value types.</summary>
    InvalidValue,

    /// <summary>A key is defined twice in the same table.</summary>
    DuplicateKey,

    /// <summary>A table is defined twice, or a table header names a key that holds a value, or an inline table is extended.</summary>
    TableRedefinition,
}
