namespace Appliance.Config.Toml;

/// <summary>One part of a dotted key (<c>a</c>, <c>"b c"</c> in <c>a."b c" = 1</c>) and where it was written.</summary>
internal readonly record struct TomlKeySegment(string Name, int Offset, TomlPosition Position);
