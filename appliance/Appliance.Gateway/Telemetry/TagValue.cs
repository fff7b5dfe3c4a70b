using Appliance.Sandbox.Parsing;

namespace Appliance.Gateway.Telemetry;

/// <summary>One tag's entry in a telemetry message: a value, or the reason it has none.</summary>
public readonly record struct TagValue(ValueCase Case, ulong Bits, string? Text, string? Error)
{
    public bool IsError => Error is not null;

    public static TagValue Failed(string reason) => new(default, 0, null, reason);
}
