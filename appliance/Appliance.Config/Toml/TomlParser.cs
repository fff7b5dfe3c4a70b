using System.Diagnostics.CodeAnalysis;

namespace Appliance.Config.Toml;

// TEMPORARY stub, replaced by the real parser.
public static class TomlParser
{
    public static TomlTable Parse(ReadOnlySpan<byte> utf8, TomlLimits? limits = null) => throw new NotImplementedException();

    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out TomlTable? document, [NotNullWhen(false)] out TomlException? error, TomlLimits? limits = null)
    {
        document = null;
        error = new TomlException("stub");
        return false;
    }
}
