using System.Diagnostics.CodeAnalysis;

namespace Appliance.Config.Toml;

/// <summary>A TOML document was rejected: why, where, and in words a person can act on.</summary>
public sealed class TomlException : Exception
{
    public TomlException(TomlErrorCode code, TomlPosition position, string reason)
        : base($"{position.Line}:{position.Column}: {reason}")
    {
        Code = code;
        Position = position;
        Reason = reason;
    }

    public TomlException()
        : this(TomlErrorCode.InvalidValue, new TomlPosition(1, 1), "invalid TOML")
    {
    }

    public TomlException(string message)
        : this(TomlErrorCode.InvalidValue, new TomlPosition(1, 1), message)
    {
    }

    public TomlException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = TomlErrorCode.InvalidValue;
        Reason = message;
        Position = new TomlPosition(1, 1);
    }

    public TomlErrorCode Code { get; }

    public TomlPosition Position { get; }

    /// <summary>The message without the position.</summary>
    public string Reason { get; }

    [DoesNotReturn]
    internal static void Throw(TomlErrorCode code, TomlPosition position, string reason) =>
        throw new TomlException(code, position, reason);
}
