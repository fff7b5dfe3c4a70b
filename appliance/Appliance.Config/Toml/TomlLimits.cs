namespace Appliance.Config.Toml;

/// <summary>Resource limits that hold for any input, however hostile.</summary>
public sealed record TomlLimits
{
    /// <summary>The default limits: 64 levels of nesting and 4 MiB of input.</summary>
    public static TomlLimits Default { get; } = new();

    /// <summary>
    /// Deepest nesting of tables, arrays and inline tables, counting every level of a dotted key or
    /// table header. A document nested deeper is rejected with <see cref="TomlErrorCode.NestingTooDeep"/>.
    /// </summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Largest accepted input in bytes (a leading UTF-8 byte-order mark included).</summary>
    public int MaxInputBytes { get; init; } = 4 * 1024 * 1024;
}
