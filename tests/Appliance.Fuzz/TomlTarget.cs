using Appliance.Config;

namespace Appliance.Fuzz;

/// <summary>Fuzz target for configuration files: parse and validate arbitrary bytes. Errors are expected; crashes are findings.</summary>
public static class TomlTarget
{
    public static bool Fuzz(ReadOnlySpan<byte> input) =>
        ConfigLoader.Parse(input, "fuzz.toml", "/nonexistent").IsValid;
}
